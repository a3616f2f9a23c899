import { AUTH_COMMANDS } from "../auth/commands";
import { commandRegistry } from "../auth/core/registry";
import { PRODUCT_COMMANDS } from "../product/product-commands";

/**
 * Every command this application answers: the auth core's and the demo
 * product's. This is where a product registers with the core, from outside
 * it: a fork that deletes lib/product deletes the second list here and
 * changes nothing under lib/auth.
 */
export const appCommands = commandRegistry([...AUTH_COMMANDS, ...PRODUCT_COMMANDS]);

export type AppCommands = typeof appCommands;
