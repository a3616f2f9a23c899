import type { z } from "zod";
import type { Command } from "./command-types";

/**
 * The commands `execute` knows, by name, with their types kept. The auth
 * core defines its own (AUTH_COMMANDS in lib/auth/commands.ts); an application adds
 * its product's from outside lib/auth (lib/server/commands.ts), so the core
 * never imports the product.
 *
 * The registry's type carries every command's name, input and output: a
 * caller that runs "PRODUCT.FILE.SEND" through it gets that command's data
 * type without a cast, and a renamed command or a changed output is a type
 * error where it is used.
 */
/** Any command; its handler is a method, so a command of a narrower input still is one. */
export type AnyCommand = Command<string, z.ZodType, unknown>;

export interface CommandRegistry<L extends readonly AnyCommand[] = readonly AnyCommand[]> {
  /** The commands, as listed (their types are what callers look up). */
  readonly list: L;
  /** The command of that name, or undefined: a name not registered does not exist. */
  get(name: string): L[number] | undefined;
}

export function commandRegistry<const L extends readonly AnyCommand[]>(list: L): CommandRegistry<L> {
  const byName = new Map<string, L[number]>();
  for (const command of list) {
    if (byName.has(command.name)) throw new Error(`Two commands are named ${command.name}`);
    byName.set(command.name, command);
  }
  return { list, get: (name) => byName.get(name) };
}

/** Every command name of a registry. */
export type CommandName<R extends CommandRegistry> = R["list"][number]["name"];

type CommandNamed<R extends CommandRegistry, N extends CommandName<R>> = Extract<R["list"][number], { name: N }>;

/** What a caller passes: the schema's input type, or input only the schema may judge (`unchecked`). */
export type CommandInput<R extends CommandRegistry, N extends CommandName<R>> =
  | z.input<CommandNamed<R, N>["input"]>
  | Unchecked;

/** What the command answers with when it succeeds. */
export type CommandOutput<R extends CommandRegistry, N extends CommandName<R>> =
  CommandNamed<R, N> extends Command<string, z.ZodType, infer D> ? D : never;

declare const uncheckedInput: unique symbol;

/**
 * Input that came from a client as it is (a WebAuthn response a browser
 * posted): the command's schema judges it, as it judges everything, but
 * the caller cannot claim its type. Marked so that passing client data
 * unchecked is a visible decision, not a cast.
 */
export type Unchecked = { readonly [uncheckedInput]: true };

export function unchecked(value: unknown): Unchecked {
  return value as Unchecked;
}
