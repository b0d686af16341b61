import { createCertificate, type TlsCertificate } from '../src/create-certificate';
import { createSimulator, type Simulator, type SimulatorAddress } from '../src/create-simulator';
import { requestError, sendRequest } from './send-request';

// Kaarai is HTTPS-only; the simulator serves the same endpoint over TLS with its own certificate.
describe('HTTPS', () => {
  let certificate: TlsCertificate;
  let simulator: Simulator;
  let address: SimulatorAddress;

  beforeAll(async () => {
    certificate = await createCertificate();
    simulator = createSimulator({ https: certificate });
    address = await simulator.listen();
  });

  afterAll(() => simulator.close());

  it('answers over HTTPS to a client that trusts the certificate as its CA', async () => {
    const answer = await sendRequest(address.httpsSendUrl!, { ca: certificate.cert });
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      202,
      { code: 2020, message: 'Accepted for delivery' },
    ]);
  });

  it('matches the certificate to the name localhost', async () => {
    const answer = await sendRequest(address.httpsSendUrl!, {
      ca: certificate.cert,
      servername: 'localhost',
    });
    expect(answer.status).toBe(202);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const error = await requestError(sendRequest(address.httpsSendUrl!));
    expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('is refused by a client that trusts another certificate', async () => {
    const other = await createCertificate();
    const error = await requestError(sendRequest(address.httpsSendUrl!, { ca: other.cert }));
    expect(error.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT_SIGNATURE_FAILURE/);
  });

  it('shares its record with the plain-HTTP port', async () => {
    simulator.state.record.clear();
    await sendRequest(address.httpsSendUrl!, {
      ca: certificate.cert,
      body: { to: '573001234567', text: 'tls' },
    });
    await sendRequest(address.sendUrl, { body: { to: '573001234567', text: 'plain' } });
    expect(simulator.state.record.list().map((m) => m.text)).toEqual(['tls', 'plain']);
  });

  it('drops a request over TLS without an answer', async () => {
    simulator.state.faults = { ...simulator.state.faults, dropNext: 1 };
    const error = await requestError(sendRequest(address.httpsSendUrl!, { ca: certificate.cert }));
    expect(error.code).toBe('ECONNRESET');
  });
});
