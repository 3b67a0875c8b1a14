import { selfHelpWorkarounds } from './self-help-workarounds';

const knownError = (number: string, workaround: string | null) => ({
  id: `id-${number}`,
  number,
  title: `Title ${number}`,
  symptom: `Symptom ${number}`,
  workaround,
  rootCause: 'A certificate expired',
  problemId: 'p-1',
});

describe('self-help workarounds', () => {
  it('keeps the known errors with a workaround, in order, up to the limit', () => {
    const found = selfHelpWorkarounds(
      [
        knownError('KE1', 'Restart the client'),
        knownError('KE2', null),
        knownError('KE3', '   '),
        knownError('KE4', 'Use the web client'),
        knownError('KE5', 'Reconnect the VPN'),
      ],
      2,
    );
    expect(found.map((each) => each.number)).toEqual(['KE1', 'KE4']);
  });

  it('answers the symptom and workaround only, never the analysis behind them', () => {
    const [found] = selfHelpWorkarounds([knownError('KE1', 'Restart the client')], 5);
    expect(found).toEqual({
      id: 'id-KE1',
      number: 'KE1',
      title: 'Title KE1',
      symptom: 'Symptom KE1',
      workaround: 'Restart the client',
    });
  });
});
