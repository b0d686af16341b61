import { decideFault } from './decide-fault';
import { NO_FAULTS, type SimulatorFaults } from './simulator-faults';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const never = () => {
  throw new Error('no random draw expected');
};

function faults(overrides: Partial<SimulatorFaults>): SimulatorFaults {
  return { ...NO_FAULTS, ...overrides };
}

describe('decideFault', () => {
  it('decides no fault, without a random draw, when no fault is set', () => {
    expect(decideFault(NO_FAULTS, NOW, never)).toEqual({ fault: undefined, faults: NO_FAULTS });
  });

  it('answers every request during an outage without using up counters', () => {
    const during = faults({ outageUntil: NOW + 1, failNext: 2 });
    expect(decideFault(during, NOW, never)).toEqual({ fault: 'outage', faults: during });
    expect(decideFault(during, NOW + 1, never)).toMatchObject({ fault: 'fail', faults: { failNext: 1 } });
  });

  it('counts a next-N fault down to zero and then stops', () => {
    let current = faults({ failNext: 2 });
    const decided: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const decision = decideFault(current, NOW, never);
      decided.push(decision.fault);
      current = decision.faults;
    }
    expect(decided).toEqual(['fail', 'fail', undefined]);
    expect(current.failNext).toBe(0);
  });

  it('applies drop, hang, fail and lose-answer counters in that order, one at a time', () => {
    let current = faults({ dropNext: 1, hangNext: 1, failNext: 1, loseAnswerNext: 1 });
    const decided: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = decideFault(current, NOW, never);
      decided.push(decision.fault);
      current = decision.faults;
    }
    expect(decided).toEqual(['drop', 'hang', 'fail', 'lose-answer']);
  });

  it('puts one random draw into consecutive bands of the rates', () => {
    // Binary fractions, so that the band edges are exact.
    const rates = faults({ dropRate: 0.125, hangRate: 0.25, failureRate: 0.25, loseAnswerRate: 0.125 });
    const at = (draw: number) => decideFault(rates, NOW, () => draw).fault;
    expect([0, 0.124, 0.125, 0.374, 0.375, 0.624, 0.625, 0.749, 0.75, 0.999].map(at)).toEqual([
      'drop',
      'drop',
      'hang',
      'hang',
      'fail',
      'fail',
      'lose-answer',
      'lose-answer',
      undefined,
      undefined,
    ]);
  });

  it('fails every request at failure rate 1', () => {
    expect(decideFault(faults({ failureRate: 1 }), NOW, () => 0.999999).fault).toBe('fail');
  });

  it('leaves the faults object unchanged unless a counter went down', () => {
    const rates = faults({ failureRate: 0.5 });
    expect(decideFault(rates, NOW, () => 0.1).faults).toBe(rates);
  });
});
