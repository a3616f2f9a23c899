import { createNavigation } from "next-intl/navigation";
import { routing } from "./routing";

/** Locale-aware Link, redirect and hooks: `<Link href="/sign-in">` keeps the current locale. */
export const { Link, redirect, usePathname, useRouter, getPathname } = createNavigation(routing);
