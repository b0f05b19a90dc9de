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

// Every option of every visible <select> fits its closed box: a select shows the chosen option's text on one line and
// cuts what does not fit, so each option's text (measured in the select's own font) plus the padding and the
// arrow (ARROW_PX) must be no wider than the box
const ARROW_PX = 20;
export async function assertSelectsFit(page, what) {
  const cut = await page.evaluate((arrow) => {
    const context = document.createElement("canvas").getContext("2d");
    const out = [];
    for (const select of document.querySelectorAll("select")) {
      if (!select.offsetParent) continue;
      const style = getComputedStyle(select);
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
      for (const option of select.options) {
        const width = context.measureText(option.text).width;
        if (width > room)
          out.push(`${select.name || select.id}: "${option.text}" ${Math.ceil(width)} px in ${room} px`);
      }
    }
    return out;
  }, ARROW_PX);
  assert.deepEqual(cut, [], `${what}: option text cut in a select`);
}

// An element shows its whole content inside its own box at this width: no sideways scrolling in it (a long line of
// JSON that does not wrap scrolls), and the box itself ends inside the window
export async function assertWraps(locator, what) {
  const box = await locator.evaluate((el) => ({
    scroll: el.scrollWidth,
    client: el.clientWidth,
    right: Math.round(el.getBoundingClientRect().right),
    inner: window.innerWidth,
  }));
  assert.ok(box.scroll <= box.client, `${what}: its text is ${box.scroll} px wide in a ${box.client} px box`);
  assert.ok(box.right <= box.inner, `${what}: the box ends at ${box.right} px in a ${box.inner} px window`);
}
