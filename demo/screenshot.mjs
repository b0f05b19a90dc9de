#!/usr/bin/env node
// Screenshots the running demo's dashboard (Debian chromium through playwright-core), e.g. for the README:
//   node demo/screenshot.mjs [http://localhost:3000] [docs/demo-executions.png] [/executions]
import { chromium } from 'playwright-core';

const [webUrl = 'http://localhost:3000', file = 'docs/demo-executions.png', page = '/executions'] =
  process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const tab = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
  await tab.goto(`${webUrl}/login`);
  await tab.getByLabel('Email').fill('demo@algodatta.local');
  await tab.getByLabel('Password').fill('demo-trader-1');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.waitForURL((url) => !url.pathname.startsWith('/login'));
  await tab.goto(`${webUrl}${page}`);
  // Let live updates arrive for a few seconds
  await tab.waitForTimeout(4000);
  await tab.screenshot({ path: file });
  process.stdout.write(`saved ${file}\n`);
} finally {
  await browser.close();
}
