// Who is asking, in which language to answer, and whether they may check the cluster they name: a Bolt listener
// middleware (after the built-ins in bolt-js src/middleware/builtin.ts) that puts the answer on `context`, so each
// trigger only reads it. It runs while the user waits for the ack, so every Slack lookup is bounded and cached.
import type { AnyMiddlewareArgs, Context, Middleware, webApi } from '@slack/bolt';
import type { Lang } from '../../engine/report.ts';
import { langFromLocale } from '../../slack/i18n.ts';
import { authorize, clustersFor, defaultClusterFor } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import type { Log } from '../log.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** What a trigger asks the middleware to resolve, read from its own payload. */
export interface AccessRequest {
  userId: string;
  channelId: string;
  /** `--lang`, when the request names one: it wins over the user's Slack locale. */
  lang?: Lang | undefined;
  /**
   * Present when the request is about a cluster: the user groups are read and the verdict decided. `cluster`
   * undefined means "none named": the user's default cluster is taken.
   */
  check?: { cluster: string | undefined };
}

/** Where the request may go. The reasons come from authorize() and name the cluster and what is missing. */
export type Verdict =
  | { ok: true; cluster: string }
  /** No cluster named and no default among `allowed` (empty: the user may check none from here). */
  | { ok: false; problem: 'no-cluster'; allowed: string[] }
  | { ok: false; problem: 'unknown-cluster' | 'refused'; cluster: string; reason: string };

/** What the middleware puts on `context`. */
export interface AccessContext {
  lang: Lang;
  userGroups: string[];
  /** The clusters this user may check in this channel (for the usage text); empty without `check`. */
  allowedClusters: string[];
  /** Undefined when the request was not about a cluster. */
  verdict: Verdict | undefined;
}

/** The reason given when the user may check no cluster at all from this channel. */
export const NO_CLUSTER = 'you are not allowed to check any cluster from this channel';

export interface AccessDeps {
  config: AppConfig;
  log: Log;
  /** Upper bound on the users.info locale lookup made while the user waits (default 800 ms). */
  localeTimeoutMs?: number;
  /** The user's Slack locale (users.info); defaults to the listener's WebClient. */
  lookupLocale?: (userId: string) => Promise<string | undefined>;
  /** Upper bound on each usergroups.users.list made while the user waits (default 1 s). */
  groupsTimeoutMs?: number;
}

/** The lookups behind the middleware, with their caches: create one per App, i.e. once per cold start. */
export interface AccessResolver {
  languageOf(userId: string, client: WebClient, explicit?: Lang): Promise<Lang>;
  groupsOf(userId: string, client: WebClient): Promise<string[]>;
  decide(request: AccessRequest & { check: { cluster: string | undefined } }, userGroups: string[]): Verdict;
  config: AppConfig;
}

const LOCALE_TTL_MS = 60 * 60_000;
const GROUP_TTL_MS = 5 * 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createAccessResolver(deps: AccessDeps): AccessResolver {
  const { config, log } = deps;

  // `--lang` wins; otherwise the user's Slack locale (ko-KR → Korean), looked up once per user and bounded
  // in time because the user is waiting for the ack; otherwise the configured default.
  const locales = new Map<string, { lang: Lang | undefined; until: number }>();
  const languageOf = async (userId: string, client: WebClient, explicit?: Lang): Promise<Lang> => {
    if (explicit) return explicit;
    const cached = locales.get(userId);
    if (cached && cached.until > Date.now()) return cached.lang ?? config.defaultLang;
    if (!/^[UW][A-Z0-9]+$/.test(userId)) return config.defaultLang;
    const locale = deps.lookupLocale
      ? deps.lookupLocale(userId)
      : client.users.info({ user: userId, include_locale: true }).then((info) => info.user?.locale);
    const lookup = locale
      .then((userLocale) => {
        const lang = userLocale ? langFromLocale(userLocale) : undefined;
        // Cached even when the race below was lost: the next command from this user is answered right.
        locales.set(userId, { lang, until: Date.now() + LOCALE_TTL_MS });
        return lang;
      })
      .catch((error: unknown) => {
        log.warn('could not read the user locale', { error, userId });
        return undefined;
      });
    const lang = await Promise.race([lookup, sleep(deps.localeTimeoutMs ?? 800).then(() => undefined)]);
    return lang ?? config.defaultLang;
  };

  // allowedGroups: the members of each configured user group (usergroups:read), cached for five minutes.
  const groupIds = [...new Set(config.clusters.flatMap((c) => c.allowedGroups ?? []))];
  const members = new Map<string, { users: Set<string>; until: number }>();
  const groupsOf = async (userId: string, client: WebClient): Promise<string[]> => {
    if (groupIds.length === 0) return [];
    const lists = await Promise.all(
      groupIds.map(async (group) => {
        const cached = members.get(group);
        if (cached && cached.until > Date.now()) return cached.users;
        try {
          // Bounded like every call on the ack path: a slow Slack grants nothing rather than delaying the ack.
          const res = await Promise.race([
            client.usergroups.users.list({ usergroup: group }),
            sleep(deps.groupsTimeoutMs ?? 1000).then(() => {
              throw new Error('usergroups.users.list timed out');
            }),
          ]);
          const users = new Set(res.users ?? []);
          members.set(group, { users, until: Date.now() + GROUP_TTL_MS });
          return users;
        } catch (error) {
          // Fail closed: a group we cannot read grants nothing.
          log.warn('could not read a user group', { group, error });
          return new Set<string>();
        }
      }),
    );
    return groupIds.filter((_, i) => lists[i]?.has(userId));
  };

  const decide: AccessResolver['decide'] = (request, userGroups) => {
    const who = { userId: request.userId, channelId: request.channelId, userGroups };
    const cluster = request.check.cluster ?? defaultClusterFor(config, who);
    if (!cluster) return { ok: false, problem: 'no-cluster', allowed: clustersFor(config, who) };
    const verdict = authorize(config, { ...who, cluster });
    if (verdict.ok) return { ok: true, cluster };
    const known = config.clusters.some((c) => c.name === cluster);
    return { ok: false, problem: known ? 'refused' : 'unknown-cluster', cluster, reason: verdict.reason };
  };

  return { languageOf, groupsOf, decide, config };
}

/**
 * The middleware: `requestOf` reads who asks, and about which cluster, from the trigger's own payload.
 * The locale and the user groups are looked up side by side.
 */
export function access<Args extends AnyMiddlewareArgs>(
  resolver: AccessResolver,
  requestOf: (args: Args) => AccessRequest,
): Middleware<Args> {
  return async (args) => {
    const request = requestOf(args);
    const { check } = request;
    const [lang, userGroups] = await Promise.all([
      resolver.languageOf(request.userId, args.client, request.lang),
      check ? resolver.groupsOf(request.userId, args.client) : Promise.resolve([]),
    ]);
    const granted: AccessContext = {
      lang,
      userGroups,
      allowedClusters: check
        ? clustersFor(resolver.config, { userId: request.userId, channelId: request.channelId, userGroups })
        : [],
      verdict: check ? resolver.decide({ ...request, check }, userGroups) : undefined,
    };
    Object.assign(args.context, granted);
    await args.next();
  };
}

/** The middleware's answer, read back by a listener registered after it. */
export function accessOf(context: Context): AccessContext {
  if (typeof context.lang !== 'string') throw new Error('the access middleware did not run before this listener');
  return context as unknown as AccessContext;
}
