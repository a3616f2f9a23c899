import { POLICY_TABLE } from "../auth/policy/policy-table";
import { currentActiveSession } from "./current-session";

/**
 * Whether the workspace's navigation shows the admin area: only to a role
 * the policy table lets into it at all (`admin.view`'s `roles`), so that
 * the table stays the one place that says who is an admin. Showing the
 * entry proves nothing: the admin page asks the policy itself, step-up
 * included (lib/server/page-policy.ts).
 */
export async function showsAdminEntry(): Promise<boolean> {
  const session = await currentActiveSession();
  const roles: readonly string[] = POLICY_TABLE["admin.view"].roles;
  return session !== null && roles.includes(session.user.role);
}
