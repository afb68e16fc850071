// authz: who may change which records (spec 2.11), one check shared by the REST and gRPC surfaces.
export { authorizeRecordWrite, recordWriterOf, mcpAgentUsername } from './record-write-access.js';
export type { RecordWriter } from './record-write-access.js';
