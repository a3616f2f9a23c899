import { describe, expect, expectTypeOf, it } from "vitest";
import { AUTH_COMMANDS, authCommands } from "../auth/commands";
import { commandRegistry, type CommandInput, type CommandName, type CommandOutput } from "../auth/core/registry";
import { PRODUCT_COMMANDS } from "../product/product-commands";
import { appCommands, type AppCommands } from "./commands";

describe("the application's command registry", () => {
  it("holds the auth core's commands and the product's, each once", () => {
    expect(appCommands.list).toHaveLength(AUTH_COMMANDS.length + PRODUCT_COMMANDS.length);
    for (const command of [...AUTH_COMMANDS, ...PRODUCT_COMMANDS]) expect(appCommands.get(command.name)).toBe(command);
    expect(appCommands.get("PRODUCT.FILE.SENT")).toBeUndefined();
  });

  it("keeps the product out of the auth core's own registry", () => {
    expect(authCommands.get("PRODUCT.FILE.SEND")).toBeUndefined();
    expect(authCommands.get("AUTH.MAGIC_LINK.REQUEST")).toBe(AUTH_COMMANDS[0]);
  });

  it("refuses two commands of one name", () => {
    expect(() => commandRegistry([AUTH_COMMANDS[0], AUTH_COMMANDS[0]])).toThrow(/Two commands are named AUTH.MAGIC_LINK.REQUEST/);
  });

  it("types each command's input and output by its name (checked by the type checker)", () => {
    expectTypeOf<CommandOutput<AppCommands, "PRODUCT.FILE.SEND">>().toEqualTypeOf<{ transferId: string; delivered: boolean }>();
    expectTypeOf<CommandOutput<AppCommands, "AUTH.MAGIC_LINK.REDEEM">>().toHaveProperty("redirectTo").toEqualTypeOf<string>();
    expectTypeOf<CommandInput<AppCommands, "PRODUCT.ACCESS.APPROVE">>().toExtend<{ requestId: string } | object>();
    expectTypeOf<"PRODUCT.FILE.SEND">().toExtend<CommandName<AppCommands>>();
    // A misspelt or renamed command is not a name of the registry.
    expectTypeOf<"PRODUCT.FILE.SENT">().not.toExtend<CommandName<AppCommands>>();
  });
});
