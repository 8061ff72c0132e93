/**
 * The selection of a users <-> teams cycle of references (users follow their
 * team, teams their owner), worked out the plain way from the seeded items:
 * from the users `roots` picks, add the teams a selected user owns and the
 * users of a selected team until nothing changes. What the e2e tests hold
 * the walk round the ring (src/dynamo/ring-walk.ts) to.
 */
import type { Item } from '../../model/item.ts';

export function usersTeamsFixpoint(data: { users: readonly Item[]; teams: readonly Item[] }, roots: (user: Item) => boolean): { users: Set<string>; teams: Set<string> } {
  const s = (item: Item, attribute: string) => item[attribute]?.S ?? '';
  let users = new Set<string>();
  let teams = new Set<string>();
  for (;;) {
    const nextUsers = new Set(data.users.filter((u) => roots(u) || teams.has(s(u, 'teamId'))).map((u) => s(u, 'userId')));
    const nextTeams = new Set(data.teams.filter((t) => nextUsers.has(s(t, 'ownerId'))).map((t) => s(t, 'teamId')));
    if (nextUsers.size === users.size && nextTeams.size === teams.size) return { users, teams };
    [users, teams] = [nextUsers, nextTeams];
  }
}
