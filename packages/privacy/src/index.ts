// The data subject's rights (GDPR art. 15 and 17) over what storage holds: find a subject by
// pseudonym, export everything about them, erase it. The server's privacy routes call these.
export { resolveSubject, type Subject } from './subject.ts';
export { exportSubject } from './subject-export.ts';
export { ErasureIncomplete, eraseSubject, listErasures, recordErasure, type Eraser } from './erasure.ts';
