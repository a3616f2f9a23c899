import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Presses Tab until `target` has focus, as a keyboard user would, and fails
 * if it takes more than `maxPresses` (default 20): the element is then
 * unreachable or buried behind too many stops.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 20): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
  }
  await expect(target, `reachable with at most ${maxPresses} presses of Tab`).toBeFocused();
  return maxPresses;
}
