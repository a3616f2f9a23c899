import { randomBytes } from "node:crypto";
import { expect, test as base, type Page } from "@playwright/test";
import type { Db } from "../lib/db/client";
import { ageSignIns, closeDatabase, expireChallenges, openDatabase } from "./support/database";
import { clientAddresses, type ClientAddresses } from "./support/client-address";
import type { AppLocale, TextDirection } from "./support/locales";
import {
  listMailbox,
  parseCodeMail,
  parseSignInMail,
  type CodeMail,
  type MailboxMessage,
  type SignInMail,
} from "./support/mail";
import { messagePattern, translatorFor, type MessageKey, type Translator } from "./support/messages";
import type { Journey } from "./support/journeys";
import { e2eDatabaseUrl } from "./support/server";
import { attachVirtualAuthenticator, type VirtualAuthenticator } from "./support/webauthn";

/** Set per project in playwright.config.ts. */
export interface LocaleOptions {
  /** The app's locale: URL prefix and messages file. Default "en". */
  appLocale: AppLocale;
  /** The `dir` the app must put on <html>. Default "ltr". */
  dir: TextDirection;
}

export interface Mailbox {
  /**
   * Waits for an email to `to` that this test has not received yet and
   * returns the newest such one, parsed. Call it once per email you expect.
   */
  receive(to: string): Promise<SignInMail>;
  /** The same, for an email that carries only a code (re-confirmation). */
  receiveCode(to: string): Promise<CodeMail>;
}

export interface JourneyFixtures {
  /** The project's messages, formatted by next-intl: `t("signIn.submit")`. */
  t: Translator;
  /** A message with arguments as a RegExp: `tPattern("magicLink.continueAs")`. */
  tPattern: (key: MessageKey) => RegExp;
  /** `/{appLocale}{path}`: `localePath("/sign-in")`. */
  localePath: (path: string) => string;
  /** An address no other test uses, so every journey starts as a new user. */
  freshEmail: string;
  mailbox: Mailbox;
  /** Makes the address's pending sign-in links and codes expired (see support/database.ts). */
  expireChallengesFor: (email: string) => Promise<void>;
  /** Makes the address's sessions look signed in `minutes` ago (see support/database.ts). */
  ageSignInsOf: (email: string, minutes: number) => Promise<void>;
  /**
   * This test's own client addresses, which its browser contexts send as
   * X-Forwarded-For (support/client-address.ts): `page`'s, also sent by
   * `request` and by a context a spec opens without extraHTTPHeaders of its
   * own, and `otherBrowser`'s.
   */
  clientIps: ClientAddresses;
  /** A page in a second browser context: another browser, from another address, without this one's cookies. */
  otherBrowser: Page;
  /** A built-in passkey authenticator attached to `page` (Chrome's virtual one), removed after the test. */
  virtualAuthenticator: VirtualAuthenticator;
  /** What the shared steps in support/journeys.ts need: this test's page, translations and mailbox. */
  journey: Journey;
}

interface WorkerFixtures {
  /** The server's database (SQLite or PostgreSQL), through the app's own Prisma client. */
  e2eDatabase: Db;
}

/** How long an email may take to reach the outbox: sending is part of the request, so it is quick. */
const MAIL_TIMEOUT_MS = 10_000;

/** Tests this worker process has started: numbers each test's client addresses. */
let testsInThisWorker = 0;

// Playwright names a fixture's second parameter `use`; here it is `provide`,
// because the React hooks lint rule takes any `use(...)` call for React's hook.
export const test = base.extend<LocaleOptions & JourneyFixtures, WorkerFixtures>({
  appLocale: ["en", { option: true }],
  dir: ["ltr", { option: true }],

  t: async ({ appLocale }, provide) => {
    await provide(translatorFor(appLocale));
  },

  tPattern: async ({ t }, provide) => {
    await provide((key) => messagePattern(t, key));
  },

  localePath: async ({ appLocale }, provide) => {
    await provide((path) => `/${appLocale}${path}`);
  },

  clientIps: async ({}, provide, testInfo) => {
    await provide(clientAddresses(testInfo.workerIndex, testsInThisWorker++));
  },

  // The sign-in rate limits count per IP, and every browser here reaches the
  // server from the same socket address: sharing one budget, the journeys
  // would be refused as their number grows. The e2e server trusts one proxy
  // hop, so each test's browser claims an address of its own. The option's
  // other headers (test.use) are kept.
  extraHTTPHeaders: async ({ extraHTTPHeaders, clientIps }, provide) => {
    await provide({ ...extraHTTPHeaders, "x-forwarded-for": clientIps.page });
  },

  freshEmail: async ({ appLocale }, provide) => {
    await provide(`e2e-${appLocale}-${randomBytes(6).toString("hex")}@example.com`);
  },

  mailbox: async ({ request }, provide) => {
    const seen = new Set<string>();
    async function next(to: string): Promise<MailboxMessage> {
      let snapshot: MailboxMessage[] = [];
      await expect
        .poll(
          async () => {
            snapshot = await listMailbox(request, to);
            return snapshot.some((message) => !seen.has(message.id));
          },
          { message: `a new email to ${to}`, timeout: MAIL_TIMEOUT_MS },
        )
        .toBe(true);
      // Newest first: the first unseen one is the newest, and everything
      // listed counts as read, so the next call waits for a newer email.
      const newest = snapshot.find((message) => !seen.has(message.id)) as MailboxMessage;
      for (const message of snapshot) seen.add(message.id);
      return newest;
    }
    await provide({
      receive: async (to) => parseSignInMail(await next(to)),
      receiveCode: async (to) => parseCodeMail(await next(to)),
    });
  },

  e2eDatabase: [
    async ({}, provide) => {
      const db = openDatabase(e2eDatabaseUrl());
      await provide(db);
      await closeDatabase(db);
    },
    { scope: "worker" },
  ],

  expireChallengesFor: async ({ e2eDatabase }, provide) => {
    await provide(async (email) => {
      const changed = await expireChallenges(e2eDatabase, email);
      expect(changed, `pending sign-in challenges for ${email}`).toBeGreaterThan(0);
    });
  },

  ageSignInsOf: async ({ e2eDatabase }, provide) => {
    await provide(async (email, minutes) => {
      expect(await ageSignIns(e2eDatabase, email, minutes), `sessions of ${email}`).toBeGreaterThan(0);
    });
  },

  journey: async ({ page, t, tPattern, localePath, mailbox }, provide) => {
    await provide({ page, t, tPattern, localePath, mailbox });
  },
  virtualAuthenticator: async ({ page }, provide) => {
    const { authenticator, detach } = await attachVirtualAuthenticator(page);
    await provide(authenticator);
    await detach();
  },

  otherBrowser: async ({ browser, extraHTTPHeaders, clientIps }, provide) => {
    // browser.newContext() in a test gets the project's `use` options
    // (baseURL, locale), like the default context; its own address too.
    const context = await browser.newContext({
      extraHTTPHeaders: { ...extraHTTPHeaders, "x-forwarded-for": clientIps.otherBrowser },
    });
    await provide(await context.newPage());
    await context.close();
  },
});

export { expect };
