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
import { commandRegistry } from "./registry";

/** The auth core's commands. An application registers them with its own (lib/server/commands.ts). */
export const AUTH_COMMANDS = [
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
] as const;

/** A registry of the auth core's commands alone: what its own tests run. */
export const authCommands = commandRegistry(AUTH_COMMANDS);
