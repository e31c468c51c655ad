// Every entry of the method table must point at a schema the conformance suite can check its
// messages against, so a typo in `codexResult` fails here rather than on a live message.
import { expect, it } from 'vitest';
import { methodTable } from '../../src/protocol/method-table.js';
import { tableEntryProblems } from '../helpers/conformance.js';

it.each(Object.keys(methodTable))('%s has a schema to be checked against', (method) => {
  expect(tableEntryProblems(method)).toEqual([]);
});
