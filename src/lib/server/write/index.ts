/**
 * The one write path: every form, API endpoint and importer writes through these functions.
 * One job per file: `errors` (refusals and authors), `input` (parsing and version checks),
 * `known` (the reads writers need), `statements` (the SQL of a batch), one writer per record
 * kind, and `dataset` for whole files. The rules themselves live in `domain/rules`.
 */
export { ValidationError, ConflictError, NotFoundError, SEED_AUTHOR, type Author } from './errors';
export { writeDataset, type WriteSummary } from './dataset';
export { createEvent, updateEvent, deleteEvent, restoreEvent } from './events';
export { createActor, updateActor } from './actors';
export { createIssue, updateIssue } from './issues';
export { setDeleted } from './deleted';
export { confirmClass } from './confirmations';
export { createContextEvent, updateContextEvent, deleteContextEvent, restoreContextEvent } from './context';
