"use client";

import { useTranslations } from "next-intl";
import { Link, usePathname } from "@/lib/i18n/navigation";

const ITEMS = [
  { href: "/", key: "home" },
  { href: "/files", key: "files" },
  { href: "/recipients", key: "recipients" },
  { href: "/requests", key: "requests" },
  { href: "/payouts", key: "payouts" },
  { href: "/settings/security", key: "security" },
  { href: "/settings/sessions", key: "sessions" },
  { href: "/settings/devices", key: "devices" },
] as const;

const ADMIN_ITEM = { href: "/admin", key: "admin" } as const;

/**
 * The signed-in workspace's navigation. The current page is marked for
 * screen readers, not only by colour. `admin`: the account's role may open
 * the admin area (lib/server/nav-entries.ts).
 */
export function AppNav({ admin = false }: { admin?: boolean }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const items = admin ? [...ITEMS, ADMIN_ITEM] : ITEMS;
  return (
    <nav aria-label={t("label")}>
      {/* Wraps rather than scrolls at phone width: every page stays one tap away. */}
      <ul className="flex flex-wrap gap-x-1 border-b border-gray-200 text-sm">
        {items.map(({ href, key }) => {
          const current = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={key}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`inline-flex min-h-11 items-center whitespace-nowrap border-b-2 px-2.5 font-medium sm:px-3 ${
                  current ? "border-blue-700 text-blue-800" : "border-transparent text-gray-700 hover:text-gray-900"
                }`}
              >
                {t(key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
