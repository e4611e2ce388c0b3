/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the
 * real server with the demo municipality: sign in, every page, filters in the URL and on
 * screen, language switch, CSV against the JSON API, a follow-up status, mapping an
 * unknown source, keyboard and tablet width. Any console error, page error, failed
 * request or HTTP error response fails the test it happened in.
 *
 * Screenshots of every page land in test-artifacts/screenshots/. The demo walked as a
 * principal, a teacher and a purchaser with its printed sign-ins is roles.test.ts.
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH); without it the file is skipped with a message on
 * a developer's machine and fails on CI. To iterate against a server that is
 * already running, set LICENSKOLL_BROWSER_URL and LICENSKOLL_BROWSER_TOKEN (an admin token);
 * note that the follow-up and mapping tests then write to that server's store.
 */
import { beforeAll, describe, it } from 'vitest';
import { browserSuite, skipBrowser } from '../helpers/browser.ts';
import * as classes from './dashboard/classes.ts';
import * as decisions from './dashboard/decisions.ts';
import * as findings from './dashboard/findings.ts';
import * as licences from './dashboard/licences.ts';
import * as overview from './dashboard/overview.ts';
import { bind } from './dashboard/session.ts';
import * as upkeep from './dashboard/upkeep.ts';
import * as usability from './dashboard/usability.ts';

const skip = skipBrowser('browser: the dashboard in Chromium');

// One browser and one demo server walk every page in this order: later steps build on earlier ones
// (signed in, a school picked on Klasser). Each step lives with its page in dashboard/.
// Generous timeouts: report queries take seconds on a loaded machine, and a page waits for its report.
describe.skipIf(skip)('dashboard in Chromium against the real server', { timeout: 180_000 }, () => {
  const suite = browserSuite({ start: { demo: true }, external: true, acceptDownloads: true });
  beforeAll(() => bind(suite));

  it('signs in with a pasted token, keeps it out of the URL, and refuses a wrong one', overview.signIn);
  it('Översikt leads with cost, unused cost and cost per active pupil, equal to the API', overview.overview);
  it('period and product filters go into the URL and change the figures', overview.filters);
  it('Licenser lists every licence, sorts, filters, and downloads the same figures as CSV', licences.licenceList);
  it('Licenser downloads the same figures as an Excel workbook and as CSV för Excel', licences.licenceWorkbook);
  it('Klasser shows the class × product heat map and the classes that never opened a paid material', classes.classes);
  it('Oanvänt lists unused and underused licences with their cost', findings.unused);
  it('Utan licens lists use without a licence per product, school unit and class, equal to the API', findings.unlicensed);
  it('Inloggning inför prov shows the tested classes by share signed in and, for an admin, the pupils of one who did not sign in', findings.signInReadiness);
  it('Signaler lists every flag with its reason and money at stake, equal to the API; reached from Översikt, leads to the rows', findings.flags);
  it('Licenser shows each target beside the seats, and an admin changes one; a backwards range is refused with the reason', licences.targets);
  it('Förnyelser sorts by projected saving and totals it', decisions.renewals);
  it('Förnyelser shows over-used licences with the seats and SEK missing, apart from the saving', decisions.overUsed);
  it('Att besluta is reached from Översikt and lists every decision with its SEK, largest first, as the API; cut per förvaltning', decisions.actionList);
  it('Licenser and Förnyelser show the seat moves with what each saves against buying, as the API', decisions.seatMoves);
  it('Uppföljning: set a status with a note on a buyer’s licence', upkeep.followUp);
  it('Okända källor: map an unknown identifier to a new learning material', upkeep.mapUnknown);
  it('Okända källor also lists register rows that name a school unit or person never imported', upkeep.unknownRegister);
  it('switches to English with one click, with English formats, and back', usability.english);
  it('is usable by keyboard, labels every control, and fits a tablet', { timeout: 300_000 }, usability.keyboardAndTablet);
  it('signs out and forgets the token', usability.signOut);
});
