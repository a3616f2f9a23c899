import { POLICY_TABLE } from "../policy/policy-table";

/**
 * How fresh a proof a factor change needs (ASVS 7.5.1): the window of the
 * policy table's `security.factor.*` rows, which decide what a change
 * needs (lib/auth/policy). Named here for the tests and tools that have to
 * wait it out; change it in the table.
 */
export const RECENT_AUTH_SECONDS: number = POLICY_TABLE["security.factor.add"].proof.maxAgeSeconds;
