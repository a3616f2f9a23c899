import { getTranslations } from "next-intl/server";
import { reasonKey } from "@/components/auth/step-up-text";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { POLICY_ACTIONS, POLICY_TABLE } from "@/lib/auth/policy/policy-table";
import { SIMULATED_DEVICES, SIMULATED_FLAGS, simulate, simulationFrom } from "@/lib/auth/policy/simulation";
import { STRONG_METHODS } from "@/lib/auth/policy/types";
import { usersForAdmin } from "@/lib/server/admin-page";
import { requirePageAction } from "@/lib/server/page-policy";
import { openSignedInPage } from "@/lib/server/require-session";

export const dynamic = "force-dynamic";

/**
 * The admin area (`admin.view`: the admin role and a passkey proof within
 * the hour): a policy simulator and a read-only user list. The simulator is
 * a plain GET form rendered on the server: pick an action and the facts,
 * see the decision and the rules that fired; nothing is recorded.
 */
export default async function AdminPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await openSignedInPage((await params).locale, "/admin");
  await requirePageAction(locale, "admin.view", "/admin");
  const t = await getTranslations("admin");
  const tPolicy = await getTranslations("policy");
  const query = await searchParams;
  const simulation = simulationFrom(query, POLICY_ACTIONS);
  const decision = query.action ? simulate(POLICY_TABLE, simulation, new Date()) : null;
  const users = await usersForAdmin();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const check = "h-5 w-5 rounded border-gray-400";

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      <Panel id="admin-simulator" title={t("simulatorTitle")}>
        <form method="get" className="space-y-4">
          <label className="block space-y-1 text-sm font-medium text-gray-900">
            <span>{t("action")}</span>
            <select name="action" defaultValue={simulation.action} className="block min-h-11 w-full rounded-md border border-gray-300 px-3" dir="ltr">
              {POLICY_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          </label>
          <div className="grid gap-4 sm:grid-cols-2">
            <label className="block space-y-1 text-sm font-medium text-gray-900">
              <span>{t("proof")}</span>
              <select name="proof" defaultValue={simulation.proof.method} className="block min-h-11 w-full rounded-md border border-gray-300 px-3">
                {(["magic_link", "passkey", "totp", "none"] as const).map((method) => (
                  <option key={method} value={method}>
                    {t(`proofs.${method}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="block space-y-1 text-sm font-medium text-gray-900">
              <span>{t("minutesAgo")}</span>
              <input name="minutesAgo" type="number" min={0} defaultValue={simulation.proof.minutesAgo} className="block min-h-11 w-full rounded-md border border-gray-300 px-3" />
            </label>
            <label className="block space-y-1 text-sm font-medium text-gray-900">
              <span>{t("role")}</span>
              <select name="role" defaultValue={simulation.role} className="block min-h-11 w-full rounded-md border border-gray-300 px-3">
                <option value="user">{t("roles.user")}</option>
                <option value="admin">{t("roles.admin")}</option>
              </select>
            </label>
            <label className="block space-y-1 text-sm font-medium text-gray-900">
              <span>{t("recentFailures")}</span>
              <input name="recentFailures" type="number" min={0} defaultValue={simulation.signals.recentFailures} className="block min-h-11 w-full rounded-md border border-gray-300 px-3" />
            </label>
            <label className="block space-y-1 text-sm font-medium text-gray-900">
              <span>{t("device")}</span>
              <select name="device" defaultValue={simulation.device} className="block min-h-11 w-full rounded-md border border-gray-300 px-3">
                {SIMULATED_DEVICES.map((device) => (
                  <option key={device} value={device}>
                    {t(`devices.${device}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-gray-900">{t("facts")}</legend>
            {STRONG_METHODS.map((factor) => (
              <label key={factor} className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name={`factor_${factor}`} defaultChecked={simulation.factors.includes(factor)} className={check} />
                {t(`factors.${factor}`)}
              </label>
            ))}
            <label className="flex min-h-11 items-center gap-3">
              <input type="checkbox" name="restricted" defaultChecked={simulation.restricted} className={check} />
              {t("restricted")}
            </label>
            {SIMULATED_FLAGS.map((flag) => (
              <label key={flag} className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name={flag} defaultChecked={simulation.signals[flag]} className={check} />
                {t(`flags.${flag}`)}
              </label>
            ))}
          </fieldset>
          <Button type="submit" className="sm:w-auto">
            {t("simulate")}
          </Button>
        </form>
        {decision ? (
          <section aria-labelledby="admin-decision" aria-live="polite" className="space-y-2 rounded-md border border-gray-200 p-4">
            <h3 id="admin-decision" className="font-semibold">
              {t(`decisions.${decision.kind}`)}
            </h3>
            {decision.kind === "step_up" ? (
              <p className="text-sm">{t("stepUpNeeds", { methods: decision.methods.map((method) => t(`factors.${method}`)).join(", "), minutes: Math.round(decision.maxAgeSeconds / 60) })}</p>
            ) : null}
            {decision.reasons.length > 0 ? (
              <ul className="list-disc space-y-1 ps-5 text-sm">
                {decision.reasons.map((reason) => (
                  <li key={reason}>
                    <code dir="ltr">{reason}</code>: {tPolicy(`reasons.${reasonKey(reason)}`)}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm">{t("noRules")}</p>
            )}
          </section>
        ) : null}
      </Panel>
      <Panel id="admin-users" title={t("usersTitle")}>
        <ul className="divide-y divide-gray-200">
          {users.map((user) => (
            <li key={user.email} className="py-3 text-sm">
              <p className="font-medium break-all" dir="ltr">
                {user.email}
              </p>
              <p className="text-gray-700">
                {t("userLine", { role: t(`roles.${user.role === "admin" ? "admin" : "user"}`), date: date.format(user.createdAt), passkeys: user.passkeys, apps: user.apps })}
              </p>
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
