import type { ReactNode } from "react";

/**
 * The blank page's own root layout (the app's is app/[locale]/layout.tsx,
 * which this path is not under): the html and body Next.js requires, and
 * nothing of the app. bench/client-js.ts measures the JavaScript the sign-in
 * page loads against this page's. Only in the bench's build, like the
 * baseline route beside it (next.config.mjs).
 */
export default function BlankLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
