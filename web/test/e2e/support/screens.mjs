// Screenshots and layout checks shared by the page tests: every page at 1280 and 390 px, none wider than its window.
import assert from "node:assert/strict";
import { join } from "node:path";
import { DESKTOP, PHONE, phonePage, screenshotDir } from "./stack.mjs";

export const shot = (page, name) => page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

// As shown (innerText: line breaks between blocks, CSS text-transform applied), whitespace collapsed
export const text = async (locator) => (await locator.innerText()).replace(/\s+/g, " ").trim();

// The page is no wider than its window: nothing cut off or scrolling sideways
export async function assertFits(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: the page is ${scroll} px wide in a ${inner} px window`);
}

// One page at both widths: a screenshot of each, and both must fit
export async function bothWidths(stack, path, name, ready) {
  const { page } = stack;
  await page.goto(`${stack.webUrl}${path}`);
  await ready(page);
  await assertFits(page, `${name} at ${DESKTOP.width} px`);
  await shot(page, `${name}-${DESKTOP.width}`);
  const phone = await phonePage(stack);
  try {
    await phone.goto(`${stack.webUrl}${path}`);
    await ready(phone);
    await assertFits(phone, `${name} at ${PHONE.width} px`);
    await shot(phone, `${name}-${PHONE.width}`);
  } finally {
    await phone.context().close();
  }
}
