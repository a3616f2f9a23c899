/**
 * The step-up page's address (app/[locale]/(app)/step-up): where a browser
 * goes to prove itself for `action`, then back to `returnTo`, a path on
 * this site (the page accepts nothing else). For pages and routes, which
 * cannot answer STEP_UP_REQUIRED the way a command does.
 */
export function stepUpPath(locale: string, action: string, returnTo: string): string {
  return `/${locale}/step-up?action=${encodeURIComponent(action)}&returnTo=${encodeURIComponent(returnTo)}`;
}
