import { type AdminRequest, handleAdminRequest } from './handle-admin-request';
import { NO_FAULTS } from './simulator-faults';
import { createSimulatorState } from './simulator-state';

const NOW = new Date('2030-01-01T00:00:00Z');

function admin(method: string, target: string, body = '') {
  const url = new URL(target, 'http://admin.invalid');
  const request: AdminRequest = { method, path: url.pathname, query: url.searchParams, body };
  return request;
}

function stateWithMessages() {
  const state = createSimulatorState({}, NOW);
  for (const [n, to] of [
    [1, '111111111'],
    [2, '222222222'],
  ] as const) {
    state.record.add({
      id: `m${n}`,
      to,
      from: null,
      text: `t${n}`,
      code: 2020,
      receivedAt: NOW.toISOString(),
      authUser: 'gateway',
    });
    state.stats.countRequest();
    state.stats.countAnswer(2020);
  }
  return state;
}

describe('handleAdminRequest', () => {
  it('lists recorded messages, filtered by receiver', () => {
    const state = stateWithMessages();
    expect(handleAdminRequest(state, admin('GET', '/messages'), NOW)).toMatchObject({
      status: 200,
      body: { total: 2, messages: [{ id: 'm1' }, { id: 'm2' }] },
    });
    expect(handleAdminRequest(state, admin('GET', '/messages?to=222222222'), NOW)).toMatchObject({
      body: { total: 2, messages: [{ id: 'm2' }] },
    });
  });

  it('clears the record and the stats on DELETE /messages', () => {
    const state = stateWithMessages();
    const later = new Date(NOW.getTime() + 5000);
    expect(handleAdminRequest(state, admin('DELETE', '/messages'), later)).toEqual({ status: 204 });
    expect(state.record.total).toBe(0);
    expect(handleAdminRequest(state, admin('GET', '/stats'), later).body).toEqual({
      requests: 0,
      answers: {},
      hung: 0,
      dropped: 0,
      answersLost: 0,
      recorded: 0,
      since: later.toISOString(),
    });
  });

  it('shows faults with the outage end as an ISO time', () => {
    const state = createSimulatorState({}, NOW);
    const put = handleAdminRequest(state, admin('PUT', '/faults', '{"outageMs":30000,"failNext":2}'), NOW);
    expect(put).toEqual({
      status: 200,
      body: { ...NO_FAULTS, failNext: 2, outageUntil: '2030-01-01T00:00:30.000Z' },
    });
    expect(handleAdminRequest(state, admin('GET', '/faults'), NOW)).toEqual(put);
  });

  it('turns every fault off on DELETE /faults', () => {
    const state = createSimulatorState({ faults: { failureRate: 0.5, hangNext: 3 } }, NOW);
    handleAdminRequest(state, admin('DELETE', '/faults'), NOW);
    expect(state.faults).toEqual(NO_FAULTS);
  });

  it('answers 400 listing the problems and keeps the faults unchanged', () => {
    const state = createSimulatorState({ faults: { failNext: 1 } }, NOW);
    const response = handleAdminRequest(state, admin('PUT', '/faults', '{"failNext":2,"hangRate":7}'), NOW);
    expect(response).toEqual({
      status: 400,
      body: { error: 'invalid_request', problems: ['hangRate: must be a number from 0 to 1'] },
    });
    expect(state.faults.failNext).toBe(1);
  });

  it('answers 400 to a body that is not JSON', () => {
    const state = createSimulatorState({}, NOW);
    expect(handleAdminRequest(state, admin('PUT', '/settings', '{user'), NOW)).toEqual({
      status: 400,
      body: { error: 'invalid_request', problems: ['body: must be JSON'] },
    });
  });

  it('changes settings', () => {
    const state = createSimulatorState({}, NOW);
    const response = handleAdminRequest(state, admin('PUT', '/settings', '{"password":"corrected"}'), NOW);
    expect(response).toMatchObject({ status: 200, body: { user: 'gateway' } });
    expect(state.settings.password).toBe('corrected');
  });

  it('never answers the password, on any resource, whether reading or changing it', () => {
    const state = createSimulatorState({ settings: { password: 'the-kaarai-password' } }, NOW);
    const answers = [
      ...['/healthz', '/messages', '/stats', '/faults', '/settings'].map((path) =>
        handleAdminRequest(state, admin('GET', path), NOW),
      ),
      handleAdminRequest(state, admin('PUT', '/settings', '{"queuedShare":0.5}'), NOW),
      handleAdminRequest(state, admin('PUT', '/settings', '{"password":"rotated-password"}'), NOW),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).not.toHaveProperty('password');
      expect(JSON.stringify(answer.body)).not.toMatch(/the-kaarai-password|rotated-password/);
    }
  });

  it('answers health checks', () => {
    expect(handleAdminRequest(createSimulatorState(), admin('GET', '/healthz'))).toEqual({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('answers 404 to an unknown resource and 405 to an unsupported method', () => {
    const state = createSimulatorState();
    expect(handleAdminRequest(state, admin('GET', '/nothing'))).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(handleAdminRequest(state, admin('POST', '/faults'))).toMatchObject({
      status: 405,
      body: { error: 'method_not_allowed', message: '/faults allows GET, PUT, DELETE' },
    });
  });

  it('finds no resource or method in the names every object has', () => {
    const state = createSimulatorState();
    expect(handleAdminRequest(state, admin('GET', '/constructor'))).toMatchObject({ status: 404 });
    expect(handleAdminRequest(state, { ...admin('GET', '/'), path: 'toString' })).toMatchObject({
      status: 404,
    });
    expect(handleAdminRequest(state, admin('valueOf', '/faults'))).toMatchObject({ status: 405 });
  });
});
