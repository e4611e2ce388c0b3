import { type EventInput, badRequest } from '@licenskoll/core';
import { mapEvents, type Outcome } from './events.ts';
import { type CommonOptions, type ImportInput, openInput } from './input.ts';
import { type JsonItem, jsonItemBatches } from './json-stream.ts';
import { type Line, lineBatches } from './lines.ts';
import { type StreamResult, Tally } from './result.ts';
import { jsonLineProblem } from './satosa.ts';
import { assertKind } from './sniff.ts';
import { toIsoTime } from './times.ts';
import { stableId } from './values.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/**
 * Which identifier becomes the event's `user`.
 *
 * - `sub` (default): `lti:<iss>:<sub>`. Every launch has `sub` (only anonymous launches
 *   lack it) and it is stable per platform user, so usage is never lost; but it is opaque
 *   and only unique within its platform, hence qualified by `iss` so two platforms' "42"
 *   stay two people. It joins a roster person only if the roster registers that string.
 * - `person_sourcedid`: the `lis.person_sourcedid` claim when present (the SIS/OneRoster or
 *   SS12000 id, the cleanest join to the roster), else the qualified `sub`.
 *
 * The `email` claim is deliberately not offered: it is optional, privacy-dependent and
 * changes with name changes, so usage keyed on it would split and vanish unpredictably.
 */
export type LtiUserKey = 'sub' | 'person_sourcedid';

export interface LtiOptions extends CommonOptions {
  user?: LtiUserKey;
  /** The same as `user`, under the name the HTTP route's query parameter uses. */
  identity?: LtiUserKey;
  /**
   * `client_id` (default): product = the tool's client_id. `deployment`: product =
   * `<client_id>#<deployment_id>`, for organisers who license each deployment separately.
   */
  product?: 'client_id' | 'deployment';
}

/** The identifiers one launch carries, for callers that want more than the event. */
export interface LtiIdentities {
  iss: string;
  sub?: string;
  qualifiedSub?: string;
  personSourcedId?: string;
  clientId?: string;
  deploymentId?: string;
  contextId?: string;
  messageType?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function ltiIdentities(p: Record<string, unknown>): LtiIdentities {
  const iss = str(p.iss) ?? '';
  const sub = str(p.sub);
  // Per LTI 1.3 core: with an array `aud`, `azp` names the client; else `aud` is the client_id.
  const aud = Array.isArray(p.aud) ? (str(p.azp) ?? str(p.aud[0])) : (str(p.aud) ?? str(p.azp));
  return {
    iss,
    ...(sub ? { sub, qualifiedSub: `lti:${iss}:${sub}` } : {}),
    ...(str(obj(p[`${LTI}lis`]).person_sourcedid) ? { personSourcedId: str(obj(p[`${LTI}lis`]).person_sourcedid) } : {}),
    ...(aud ? { clientId: aud } : {}),
    ...(str(p[`${LTI}deployment_id`]) ? { deploymentId: str(p[`${LTI}deployment_id`]) } : {}),
    ...(str(obj(p[`${LTI}context`]).id) ? { contextId: str(obj(p[`${LTI}context`]).id) } : {}),
    ...(str(p[`${LTI}message_type`]) ? { messageType: str(p[`${LTI}message_type`]) } : {}),
  };
}

/** A raw id_token line: decode the payload. The signature is not checked: this is a log the admin hands in, not a live launch. */
function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

const SCHOOL_KEYS = ['school_unit_code', 'schoolunitcode', 'skolenhetskod', 'school'];

/** The one LTI message that is a person opening the tool; a log without message_type is taken for it (LTI 1.3 core's only required message). */
export const LTI_LAUNCH_MESSAGE = 'LtiResourceLinkRequest';

/** Why each other message is not use, in words for the skip list. */
const NOT_A_LAUNCH: Record<string, string> = {
  LtiDeepLinkingRequest: 'a teacher choosing content to link, not use of it',
  LtiSubmissionReviewRequest: 'a teacher reviewing a submission, not use by the pupil',
  LtiStartProctoring: 'a proctoring hand-over, not a launch',
  LtiStartAssessment: 'a proctoring hand-over, not a launch',
  LtiEndAssessment: 'a proctoring hand-over, not a launch',
};

/** Skip reason for a message that is not a resource launch, counted by message type; null for a launch. */
export function nonLaunchReason(messageType: string | undefined): string | null {
  if (messageType === undefined || messageType === LTI_LAUNCH_MESSAGE) return null;
  // Named when it looks like an LTI message type; junk must not grow the skip list without end.
  const type = Object.hasOwn(NOT_A_LAUNCH, messageType) || /^Lti[A-Za-z]{1,60}$/.test(messageType) ? messageType : 'of another type';
  return `LTI message ${type}: ${NOT_A_LAUNCH[messageType] ?? 'not a resource launch'}`;
}

function mapPayload(p: unknown, opts: LtiOptions, raw: () => string): Outcome {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return { reject: { reason: 'expected an id_token payload (a JSON object)' } };
  const claims = p as Record<string, unknown>;
  const ids = ltiIdentities(claims);
  if (!ids.iss) return { reject: { field: 'iss', reason: 'missing: not an LTI id_token payload' } };
  // A deep-linking request is a teacher picking content: stored as a launch it would count use that never happened.
  const notLaunch = nonLaunchReason(ids.messageType);
  if (notLaunch) return { skip: notLaunch };
  if (!ids.qualifiedSub) return { skip: 'anonymous launch (no sub)' };
  if (!ids.clientId) return { reject: { field: 'aud', reason: 'missing: no client_id to name the tool' } };
  const time = toIsoTime(typeof claims.iat === 'number' ? claims.iat : undefined);
  if (!time) return { reject: { field: 'iat', reason: `${JSON.stringify(claims.iat ?? null)} is not a time in epoch seconds` } };
  const user = opts.user === 'person_sourcedid' && ids.personSourcedId ? ids.personSourcedId : ids.qualifiedSub;
  const product = opts.product === 'deployment' && ids.deploymentId ? `${ids.clientId}#${ids.deploymentId}` : ids.clientId;
  const custom = obj(claims[`${LTI}custom`]);
  const school = SCHOOL_KEYS.map((k) => str(custom[k])).find(Boolean);
  // jti, else nonce: both are single-use per launch, so a replayed log line is a duplicate.
  const id = str(claims.jti) ?? str(claims.nonce) ?? stableId('lti', raw());
  const event: EventInput = { id: id.length <= 200 ? id : stableId('lti', id), type: 'launch', time, user, product, source: 'lti' };
  if (ids.contextId) event.group = ids.contextId;
  if (school) event.school = school;
  return { event };
}

/** Raw id_tokens, one per line. */
function jwtLineMapper(opts: LtiOptions) {
  return (line: Line): Outcome | null => {
    if (line.tooLong) return { reject: { reason: 'line longer than 1 MiB' } };
    const text = line.text.trim();
    if (text === '') return null;
    if (line.invalidUtf8) return { reject: { reason: 'the line is not valid UTF-8' } };
    let p: unknown;
    try {
      p = JWT.test(text) ? decodeJwt(text) : JSON.parse(text);
    } catch (e) {
      return { reject: { reason: jsonLineProblem(line, e) } };
    }
    return mapPayload(p, opts, () => text);
  };
}

const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

/**
 * Decoded LTI 1.3 id_token payloads (JSON lines, concatenated or in an array) or raw
 * JWTs one per line → one `launch` per `LtiResourceLinkRequest` (other messages, such as
 * deep linking, are skipped and counted by message type): user per `LtiOptions.user`, product = client_id, time = `iat`, group = context id,
 * school = a `custom` school unit code when the platform sends one.
 */
export async function parseLtiLaunches(input: ImportInput, opts: LtiOptions = {}): Promise<StreamResult<EventInput>> {
  const key = opts.user ?? opts.identity ?? 'sub';
  if (key !== 'sub' && key !== 'person_sourcedid') {
    throw badRequest(`identity: must be "sub" or "person_sourcedid", not "${key}"`, [{ field: 'identity', reason: 'unknown identity' }]);
  }
  opts = { ...opts, user: key };
  const { head, chunks } = await openInput(input);
  const sniffed = assertKind(head, 'lti-launches', opts.fileName);
  const tally = new Tally(opts.maxRejections);
  if (sniffed.variant === 'jwt') {
    return tally.stream('lti-launches', mapEvents(lineBatches(chunks), jwtLineMapper(opts), tally, opts.fileName));
  }
  // JSON: one payload per line, pretty-printed payloads one after another, or an array.
  const items = jsonItemBatches(chunks, { arrayKeys: [] });
  const map = (item: JsonItem): Outcome =>
    item.error !== undefined ? { reject: { reason: item.error } } : mapPayload(item.value, opts, () => JSON.stringify(item.value));
  return tally.stream('lti-launches', mapEvents(items, map, tally, opts.fileName));
}
