"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { useFactorChanged } from "./factor-changes";
import { PasskeyRow } from "./passkey-row";
import { TotpRow } from "./totp-row";

/** One passkey as the page shows it; dates already formatted by the server. */
export interface PasskeyItem {
  id: string;
  name: string;
  synced: boolean;
  created: string;
  lastUsed: string;
}

/** One authenticator app as the page shows it: name and dates already rendered by the server. */
export interface TotpItem {
  id: string;
  name: string;
  created: string;
  lastUsed: string;
}

/** What a row tells its list. */
export interface RowEvents {
  /** The factor is gone (the row with it): the list says so. */
  onRemoved: () => void;
  /** The person started something in the row: an older announcement no longer applies. */
  onStart: () => void;
  /** Another outcome to announce from the list (a rename). */
  announce: (text: string) => void;
}

export type FactorListProps = { kind: "passkey"; items: PasskeyItem[] } | { kind: "totp"; items: TotpItem[] };

/**
 * The account's factors of one kind (passkeys, or authenticator apps), and
 * the one place that announces what just happened to them: a removed row
 * disappears, so its confirmation cannot live in the row. A removal is a
 * factor change: the page's notice then offers to sign out everywhere else,
 * and keyboard users continue from it (the focused row is gone).
 */
export function FactorList(props: FactorListProps) {
  const security = useTranslations("security");
  const totp = useTranslations("totp");
  const text = props.kind === "passkey" ? { empty: security("empty"), removed: security("removed") } : { empty: totp("empty"), removed: totp("removed") };
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const factorChanged = useFactorChanged();

  const events: RowEvents = {
    onRemoved() {
      setAnnouncement(text.removed);
      factorChanged();
    },
    onStart: () => setAnnouncement(null),
    announce: setAnnouncement,
  };

  return (
    <div className="space-y-3">
      <div aria-live="polite">{announcement ? <FormMessage tone="success">{announcement}</FormMessage> : null}</div>
      {props.items.length === 0 ? (
        <p className="text-gray-700">{text.empty}</p>
      ) : (
        <ul className="space-y-3">
          {props.kind === "passkey"
            ? props.items.map((passkey) => <PasskeyRow key={passkey.id} passkey={passkey} otherPasskeys={props.items.length - 1} {...events} />)
            : props.items.map((app) => <TotpRow key={app.id} app={app} {...events} />)}
        </ul>
      )}
    </div>
  );
}
