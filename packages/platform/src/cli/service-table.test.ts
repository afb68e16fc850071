import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderServiceTable, stateLabel } from './service-table.js';

test('renderServiceTable aligns columns and puts one endpoint per line', () => {
  const text = renderServiceTable({
    mcias: { state: 'running', pid: 42, health: 'https://h', rest: 'https://127.0.0.1:1', grpc: '127.0.0.1:2', log: '/l' },
    mcdoc: { state: 'not_built', pid: null },
    mcr: { state: 'running', pid: 7, healthy: false, web: 'https://127.0.0.1:3' },
  });
  assert.equal(
    text,
    [
      'SERVICE   STATE                 PID   ENDPOINTS',
      'mcias     running               42    rest https://127.0.0.1:1',
      '                                      grpc 127.0.0.1:2',
      'mcdoc     not built yet         -',
      'mcr       running (unhealthy)   7     web https://127.0.0.1:3',
      '',
    ].join('\n'),
  );
});

test('stateLabel spells out not_built', () => {
  assert.equal(stateLabel('not_built'), 'not built yet');
  assert.equal(stateLabel('restarting', null), 'restarting');
});
