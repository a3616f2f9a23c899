import { redeemMagicLinkCommand, requestMagicLinkCommand, verifyEmailCodeCommand } from "./magic-link/magic-link-commands";
import {
  beginLoginCommand,
  beginRegistrationCommand,
  deletePasskeyCommand,
  finishLoginCommand,
  finishRegistrationCommand,
  listPasskeysCommand,
  passkeySignalStateCommand,
  renamePasskeyCommand,
} from "./passkeys/passkey-commands";
import { requestReauthCommand, verifyReauthCommand } from "./magic-link/reauth-commands";
import { checkPromptCommand, recordPromptCommand } from "./passkeys/passkey-prompt-commands";
import {
  disownSessionCommand,
  getSessionCommand,
  listSessionsCommand,
  revokeOtherSessionCommand,
  revokeAllOtherSessionsCommand,
  revokeSessionCommand,
} from "./core/session-commands";
import { commandRegistry } from "./core/registry";
import {
  deviceChallengeCommand,
  listDevicesCommand,
  proveDeviceCommand,
  registerDeviceCommand,
  renameDeviceCommand,
  revokeDeviceCommand,
} from "./devices/device-commands";
import {
  beginTotpEnrollmentCommand,
  deleteTotpFactorCommand,
  finishTotpEnrollmentCommand,
  listTotpFactorsCommand,
} from "./totp/totp-commands";
import { beginStepUpCommand, decidePolicyCommand, verifyStepUpCommand } from "./step-up/step-up-commands";

/** The auth core's commands. An application registers them with its own (lib/server/commands.ts). */
export const AUTH_COMMANDS = [
  requestMagicLinkCommand,
  redeemMagicLinkCommand,
  verifyEmailCodeCommand,
  getSessionCommand,
  revokeSessionCommand,
  revokeAllOtherSessionsCommand,
  listSessionsCommand,
  revokeOtherSessionCommand,
  disownSessionCommand,
  beginRegistrationCommand,
  finishRegistrationCommand,
  beginLoginCommand,
  finishLoginCommand,
  listPasskeysCommand,
  passkeySignalStateCommand,
  renamePasskeyCommand,
  deletePasskeyCommand,
  requestReauthCommand,
  verifyReauthCommand,
  checkPromptCommand,
  recordPromptCommand,
  beginTotpEnrollmentCommand,
  finishTotpEnrollmentCommand,
  listTotpFactorsCommand,
  deleteTotpFactorCommand,
  decidePolicyCommand,
  beginStepUpCommand,
  verifyStepUpCommand,
  registerDeviceCommand,
  deviceChallengeCommand,
  proveDeviceCommand,
  listDevicesCommand,
  renameDeviceCommand,
  revokeDeviceCommand,
] as const;

/** A registry of the auth core's commands alone: what its own tests run. */
export const authCommands = commandRegistry(AUTH_COMMANDS);
