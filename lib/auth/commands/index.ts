import { redeemMagicLinkCommand, requestMagicLinkCommand, verifyEmailCodeCommand } from "./magic-link-commands";
import {
  beginLoginCommand,
  beginReauthCommand,
  beginRegistrationCommand,
  deletePasskeyCommand,
  finishLoginCommand,
  finishReauthCommand,
  finishRegistrationCommand,
  listPasskeysCommand,
  renamePasskeyCommand,
} from "./passkey-commands";
import { checkPromptCommand, recordPromptCommand, requestReauthCommand, verifyReauthCommand } from "./reauth-and-prompt-commands";
import { getSessionCommand, revokeOtherSessionsCommand, revokeSessionCommand } from "./session-commands";
import { PRODUCT_COMMANDS } from "../../product/product-commands";
import type { Command } from "./types";
import type { z } from "zod";

/** Every command `execute` knows, by name. A command not listed here does not exist. */
const ALL_COMMANDS = [
  requestMagicLinkCommand,
  redeemMagicLinkCommand,
  verifyEmailCodeCommand,
  getSessionCommand,
  revokeSessionCommand,
  revokeOtherSessionsCommand,
  beginRegistrationCommand,
  finishRegistrationCommand,
  beginLoginCommand,
  finishLoginCommand,
  listPasskeysCommand,
  renamePasskeyCommand,
  deletePasskeyCommand,
  beginReauthCommand,
  finishReauthCommand,
  requestReauthCommand,
  verifyReauthCommand,
  checkPromptCommand,
  recordPromptCommand,
  // The demo product's state changes (lib/product), through the same choke point.
  ...PRODUCT_COMMANDS,
] as const;

export type AnyCommand = Command<z.ZodType, unknown>;

export const commandsByName: ReadonlyMap<string, AnyCommand> = new Map(
  ALL_COMMANDS.map((command) => [command.name, command as unknown as AnyCommand]),
);

