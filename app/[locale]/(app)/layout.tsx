import type { ReactNode } from "react";
import { AppNav } from "@/components/app-nav";
import { DeviceKeeper } from "@/components/auth/device-keeper";
import { PasskeySignalKeeper } from "@/components/auth/passkey-signal-keeper";
import { ClientMessages } from "@/lib/i18n/client-messages-provider";
import { showsAdminEntry } from "@/lib/server/nav-entries";

/**
 * The signed-in workspace (files, recipients, requests). Each page checks
 * the session itself with openSignedInPage: a layout is not re-run between
 * the pages it wraps, so it cannot be the guard.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  return (
    // The workspace's forms translate in the browser: they get the client messages (the root layout gives none).
    <ClientMessages>
      <div className="space-y-6">
        <AppNav admin={await showsAdminEntry()} />
        <DeviceKeeper />
        <PasskeySignalKeeper />
        {children}
      </div>
    </ClientMessages>
  );
}
