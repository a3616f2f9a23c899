import { db } from "../db";

/** The admin area's read-only user list: who has an account and how they can prove it. No secrets, no sessions. */
export async function usersForAdmin(): Promise<{ email: string; role: string; createdAt: Date; passkeys: number; apps: number }[]> {
  const users = await db().user.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      email: true,
      role: true,
      createdAt: true,
      _count: { select: { passkeys: true, totpFactors: { where: { confirmedAt: { not: null } } } } },
    },
  });
  return users.map(({ _count, ...user }) => ({ ...user, passkeys: _count.passkeys, apps: _count.totpFactors }));
}
