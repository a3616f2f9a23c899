import type { ReactNode } from "react";
import { ClientMessages } from "@/lib/i18n/client-messages-provider";

/** The magic-link page's forms translate in the browser: they get the client messages (the root layout gives none). */
export default function MagicLinkLayout({ children }: { children: ReactNode }) {
  return <ClientMessages>{children}</ClientMessages>;
}
