import { describe, expect, it } from 'vitest';
import { call, returnTypeOf, ts, date, time } from './util.js';
import { formatType } from '../../src/common/types.js';
import { compileDateFormatter, compileDateParser, instantToLocal, localProgress, localToInstant, windowTriggerInstant, zoneOffsetMicros, zoneUsesDaylightTime } from '../../src/common/time.js';
import { isWindowFired } from '../../src/runtime/operators/window.js';

type Case = [string, string[], unknown[], unknown, string?];
const TS = 'TIMESTAMP(3)';

// Units (EXTRACT, FLOOR_TO/CEIL_TO, TIMESTAMPADD/DIFF) and patterns are constant arguments.
const cases: Case[] = [
  ['DATE_FORMAT', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'yyyy-MM-dd HH:mm:ss'], '2024-12-31 10:11:12'],
  ['DATE_FORMAT', ['STRING', 'STRING'], ['2024-12-31 10:11:12', 'yyyy/MM/dd'], '2024/12/31'],
  ['DATE_FORMAT', [TS, 'STRING'], [ts('2024-12-31 22:11:12.345'), "EEE, d MMM yyyy hh:mm a 'at' SSS"], 'Tue, 31 Dec 2024 10:11 PM at 345'],
  ['DATE_FORMAT', [TS, 'STRING'], [ts('2024-02-05 01:02:03'), 'yy-M-d H:m:s D'], '24-2-5 1:2:3 36'],
  ['DATE_FORMAT', ['TIMESTAMP_LTZ(3)', 'STRING'], [ts('2024-12-31 20:00:00'), 'yyyy-MM-dd HH:mm XXX'], '2025-01-01 04:00 +08:00', 'Asia/Shanghai'],
  ['DATE_FORMAT', ['DATE', 'STRING'], [date('2024-12-31'), 'MMMM yyyy'], 'December 2024'],
  ['TO_TIMESTAMP', ['STRING'], ['2024-12-31 10:11:12'], ts('2024-12-31 10:11:12')],
  ['TO_TIMESTAMP', ['STRING'], ['2024-12-31 10:11:12.123456'], ts('2024-12-31 10:11:12.123')],
  ['TO_TIMESTAMP', ['STRING', 'STRING'], ['31/12/2024 10:11', 'dd/MM/yyyy HH:mm'], ts('2024-12-31 10:11:00')],
  ['TO_TIMESTAMP', ['STRING', 'STRING'], ['20241231', 'yyyyMMdd'], ts('2024-12-31 00:00:00')],
  ['TO_TIMESTAMP', ['STRING', 'STRING'], ['2024-12-31T10:11:12.500Z', "yyyy-MM-dd'T'HH:mm:ss.SSSX"], ts('2024-12-31 10:11:12.5')],
  ['TO_TIMESTAMP', ['STRING', 'STRING'], ['2024-02-30', 'yyyy-MM-dd'], null],
  ['TO_TIMESTAMP', ['STRING'], ['garbage'], null],
  ['TO_TIMESTAMP_LTZ', ['BIGINT', 'INT'], [1533081600, 0], ts('2018-08-01 00:00:00')],
  ['TO_TIMESTAMP_LTZ', ['BIGINT', 'INT'], [1533081600123, 3], ts('2018-08-01 00:00:00.123')],
  ['TO_TIMESTAMP_LTZ', ['BIGINT'], [1533081600123], ts('2018-08-01 00:00:00.123')],
  ['TO_TIMESTAMP_LTZ', ['DOUBLE', 'INT'], [1.0019, 0], ts('1970-01-01 00:00:01.001')],
  ['TO_TIMESTAMP_LTZ', ['DOUBLE', 'INT'], [-1.5, 3], ts('1969-12-31 23:59:59.999')],
  ['TO_TIMESTAMP_LTZ', ['BIGINT', 'INT'], [253402300800, 0], null],
  ['TO_TIMESTAMP_LTZ', ['STRING'], ['2024-12-31 10:00:00'], ts('2024-12-31 02:00:00'), 'Asia/Shanghai'],
  ['TO_TIMESTAMP_LTZ', ['STRING'], ['2024-12-31T10:00:00Z'], ts('2024-12-31 10:00:00'), 'Asia/Shanghai'],
  ['TO_DATE', ['STRING'], ['2024-12-31'], date('2024-12-31')],
  ['TO_DATE', ['STRING', 'STRING'], ['31.12.2024', 'dd.MM.yyyy'], date('2024-12-31')],
  // With a pattern, text is read as SimpleDateFormat (lenient) reads it: fields roll over.
  ['TO_DATE', ['STRING', 'STRING'], ['2024-13-01', 'yyyy-MM-dd'], date('2025-01-01')],
  ['TO_DATE', ['STRING', 'STRING'], ['2024-02-30', 'yyyy-MM-dd'], date('2024-03-01')],
  ['UNIX_TIMESTAMP', ['STRING'], ['2024-01-01 24:00:00'], 1704153600],
  ['CONVERT_TZ', ['STRING', 'STRING', 'STRING'], ['2024-02-30 25:61:00', 'UTC', 'UTC'], '2024-03-02 02:01:00'],
  ['CONVERT_TZ', ['STRING', 'STRING', 'STRING'], ['2024-01-01', 'UTC', 'UTC'], null],
  ['TO_DATE', ['STRING'], ['2024-13-31'], null],
  ['UNIX_TIMESTAMP', ['STRING'], ['2019-01-01 00:00:00'], 1546300800],
  ['UNIX_TIMESTAMP', ['STRING'], ['2019-01-01 00:00:00'], 1546272000, 'Asia/Shanghai'],
  ['UNIX_TIMESTAMP', ['STRING', 'STRING'], ['2019/01/01', 'yyyy/MM/dd'], 1546300800],
  ['UNIX_TIMESTAMP', ['STRING'], ['2019-01-01 00:00:00.999'], 1546300800],
  ['TO_DATE', ['STRING', 'STRING'], ['2024/12/31 23:59', 'yyyy/MM/dd'], date('2024-12-31')],
  ['UNIX_TIMESTAMP', ['STRING'], ['not a time'], -9223372036854775808n],
  ['FROM_UNIXTIME', ['BIGINT'], [44], '1970-01-01 00:00:44'],
  ['FROM_UNIXTIME', ['BIGINT', 'STRING'], [0, 'yyyy-MM-dd HH'], '1970-01-01 08', 'Asia/Shanghai'],
  ['CONVERT_TZ', ['STRING', 'STRING', 'STRING'], ['1970-01-01 00:00:00', 'UTC', 'America/Los_Angeles'], '1969-12-31 16:00:00'],
  ['EXTRACT', ['STRING', 'DATE'], ['DAY', date('2006-06-05')], 5],
  ['EXTRACT', ['STRING', TS], ['YEAR', ts('2006-06-05 10:11:12.345')], 2006],
  ['EXTRACT', ['STRING', TS], ['QUARTER', ts('2006-06-05 10:11:12.345')], 2],
  ['EXTRACT', ['STRING', TS], ['MONTH', ts('2006-06-05 10:11:12.345')], 6],
  ['EXTRACT', ['STRING', TS], ['HOUR', ts('2006-06-05 10:11:12.345')], 10],
  ['EXTRACT', ['STRING', TS], ['MINUTE', ts('2006-06-05 10:11:12.345')], 11],
  ['EXTRACT', ['STRING', TS], ['SECOND', ts('2006-06-05 10:11:12.345')], 12],
  ['EXTRACT', ['STRING', TS], ['MILLISECOND', ts('2006-06-05 10:11:12.345')], 345], // Flink 1.20: the fraction of the second only
  ['EXTRACT', ['STRING', TS], ['DOW', ts('2006-06-05 10:11:12')], 2],
  ['EXTRACT', ['STRING', TS], ['DOY', ts('2006-06-05 10:11:12')], 156],
  ['EXTRACT', ['STRING', TS], ['WEEK', ts('2006-06-05 10:11:12')], 23],
  ['EXTRACT', ['STRING', TS], ['EPOCH', ts('1970-01-02 00:00:01')], 86401],
  ['EXTRACT', ['STRING', TS], ['CENTURY', ts('2006-06-05 00:00:00')], 21],
  ['EXTRACT', ['STRING', 'TIME(0)'], ['HOUR', time('13:14:15')], 13],
  ['EXTRACT', ['STRING', 'TIMESTAMP_LTZ(3)'], ['DAY', ts('2024-12-31 20:00:00')], 1, 'Asia/Shanghai'],
  ['EXTRACT', ['STRING', 'INTERVAL_DAY_TIME'], ['DAY', 3 * 86_400_000_000 + 5], 3],
  ['EXTRACT', ['STRING', 'INTERVAL_YEAR_MONTH'], ['YEAR', 26], 2],
  ['QUARTER', ['DATE'], [date('1994-09-27')], 3],
  ['WEEK', ['DATE'], [date('1994-09-27')], 39],
  ['DAYOFYEAR', ['DATE'], [date('1994-09-27')], 270],
  ['DAYOFMONTH', ['DATE'], [date('1994-09-27')], 27],
  ['DAYOFWEEK', ['DATE'], [date('1994-09-27')], 3],
  ['YEAR', ['DATE'], [date('1994-09-27')], 1994],
  ['MONTH', ['DATE'], [date('1994-09-27')], 9],
  ['HOUR', [TS], [ts('1994-09-27 13:14:15')], 13],
  ['MINUTE', [TS], [ts('1994-09-27 13:14:15')], 14],
  ['SECOND', [TS], [ts('1994-09-27 13:14:15')], 15],
  ['FLOOR_TO', ['TIME(0)', 'STRING'], [time('12:44:31'), 'MINUTE'], time('12:44:00')],
  ['CEIL_TO', ['TIME(0)', 'STRING'], [time('12:44:31'), 'MINUTE'], time('12:45:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'HOUR'], ts('2024-12-31 10:00:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'DAY'], ts('2024-12-31 00:00:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'WEEK'], ts('2024-12-29 00:00:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'MONTH'], ts('2024-12-01 00:00:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'QUARTER'], ts('2024-10-01 00:00:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'YEAR'], ts('2024-01-01 00:00:00')],
  ['CEIL_TO', [TS, 'STRING'], [ts('2024-12-31 10:11:12'), 'MONTH'], ts('2025-01-01 00:00:00')],
  ['CEIL_TO', [TS, 'STRING'], [ts('2024-12-31 10:00:00'), 'HOUR'], ts('2024-12-31 10:00:00')],
  ['FLOOR_TO', [TS, 'STRING'], [ts('1969-12-31 23:59:59.5'), 'SECOND'], ts('1969-12-31 23:59:59')],
  ['FLOOR_TO', ['DATE', 'STRING'], [date('2024-12-31'), 'MONTH'], date('2024-12-01')],
  ['FLOOR_TO', ['TIMESTAMP_LTZ(3)', 'STRING'], [ts('2024-12-31 20:00:00'), 'DAY'], ts('2024-12-31 16:00:00'), 'Asia/Shanghai'],
  ['TIMESTAMPADD', ['STRING', 'INT', 'DATE'], ['WEEK', 1, date('2003-01-02')], date('2003-01-09')],
  ['TIMESTAMPADD', ['STRING', 'INT', 'DATE'], ['MONTH', 1, date('2024-01-31')], date('2024-02-29')],
  ['TIMESTAMPADD', ['STRING', 'INT', TS], ['MONTH', 1, ts('2024-01-31 10:00:00')], ts('2024-02-29 10:00:00')],
  ['TIMESTAMPADD', ['STRING', 'INT', TS], ['YEAR', -1, ts('2024-02-29 10:00:00')], ts('2023-02-28 10:00:00')],
  ['TIMESTAMPADD', ['STRING', 'INT', TS], ['HOUR', 5, ts('2024-12-31 22:00:00')], ts('2025-01-01 03:00:00')],
  ['TIMESTAMPADD', ['STRING', 'INT', TS], ['SQL_TSI_MINUTE', 90, ts('2024-12-31 22:00:00')], ts('2024-12-31 23:30:00')],
  ['TIMESTAMPADD', ['STRING', 'INT', 'DATE'], ['HOUR', 5, date('2024-12-31')], ts('2024-12-31 05:00:00')],
  ['TIMESTAMPDIFF', ['STRING', TS, TS], ['DAY', ts('2003-01-02 10:00:00'), ts('2003-01-03 10:00:00')], 1],
  ['TIMESTAMPDIFF', ['STRING', TS, TS], ['HOUR', ts('2003-01-02 10:00:00'), ts('2003-01-03 10:00:00')], 24],
  ['TIMESTAMPDIFF', ['STRING', TS, TS], ['DAY', ts('2003-01-03 10:00:00'), ts('2003-01-02 11:00:00')], 0],
  ['TIMESTAMPDIFF', ['STRING', 'DATE', 'DATE'], ['MONTH', date('2003-01-31'), date('2003-02-28')], 1],
  ['TIMESTAMPDIFF', ['STRING', 'DATE', 'DATE'], ['MONTH', date('2003-01-31'), date('2003-02-27')], 0],
  ['TIMESTAMPDIFF', ['STRING', TS, TS], ['MONTH', ts('2003-01-15 10:00:00'), ts('2003-02-15 09:00:00')], 0],
  ['TIMESTAMPDIFF', ['STRING', TS, TS], ['QUARTER', ts('2003-01-15 10:00:00'), ts('2003-07-15 10:00:00')], 2],
  ['TIMESTAMPDIFF', ['STRING', 'DATE', 'DATE'], ['MONTH', date('2003-01-28'), date('2003-02-28')], 1],
  ['TIMESTAMPDIFF', ['STRING', 'DATE', 'DATE'], ['YEAR', date('2000-06-01'), date('2003-05-31')], 2],
  ['TIMESTAMPDIFF', ['STRING', 'DATE', 'DATE'], ['YEAR', date('2003-06-01'), date('2000-06-02')], -2],
  ['LAST_DAY', ['DATE'], [date('2024-02-10')], date('2024-02-29')],
];

describe('time functions', () => {
  it.each(cases)('%s(%j)', (name, types, values, expected, zone) => {
    expect(call(name, types, values, { zone })).toEqual(expected);
  });
  it.each(cases)('%s(%j) with only the unit constant', (name, types, values, expected, zone) => {
    const unitFirst = ['EXTRACT', 'TIMESTAMPADD', 'TIMESTAMPDIFF'].includes(name);
    const unitSecond = ['FLOOR_TO', 'CEIL_TO'].includes(name) || (name === 'TO_TIMESTAMP_LTZ' && types[0] !== 'STRING');
    const constants = unitFirst ? [0] : unitSecond ? [1] : 'none';
    expect(call(name, types, values, { zone, constants })).toEqual(expected);
  });

  it('current time functions read ctx.now() and the session zone', () => {
    const now = ts('2025-12-29 23:30:00.123456');
    expect(call('CURRENT_TIMESTAMP', [], [], { now })).toBe(ts('2025-12-29 23:30:00.123'));
    expect(call('NOW', [], [], { now })).toBe(ts('2025-12-29 23:30:00.123'));
    expect(call('PROCTIME', [], [], { now })).toBe(ts('2025-12-29 23:30:00.123'));
    expect(call('LOCALTIMESTAMP', [], [], { now, zone: 'Asia/Shanghai' })).toBe(ts('2025-12-30 07:30:00.123'));
    expect(call('CURRENT_DATE', [], [], { now, zone: 'Asia/Shanghai' })).toBe(date('2025-12-30'));
    expect(call('CURRENT_DATE', [], [], { now })).toBe(date('2025-12-29'));
    expect(call('CURRENT_TIME', [], [], { now })).toBe(time('23:30:00'));
    expect(call('UNIX_TIMESTAMP', [], [], { now })).toBe(Math.floor(now / 1e6));
  });

  it('result types', () => {
    const rt = (n: string, t: string[], c?: unknown[]) => formatType(returnTypeOf(n, t, c));
    expect(rt('CURRENT_TIMESTAMP', [])).toBe('TIMESTAMP_LTZ(3) NOT NULL');
    expect(rt('LOCALTIMESTAMP', [])).toBe('TIMESTAMP(3) NOT NULL');
    expect(rt('PROCTIME', [])).toBe('TIMESTAMP_LTZ(3) NOT NULL');
    expect(rt('CURRENT_DATE', [])).toBe('DATE NOT NULL');
    expect(rt('TO_TIMESTAMP', ['STRING NOT NULL'])).toBe('TIMESTAMP(3)');
    expect(rt('TO_TIMESTAMP_LTZ', ['BIGINT NOT NULL', 'INT NOT NULL'])).toBe('TIMESTAMP_LTZ(3)');
    expect(rt('EXTRACT', ['STRING NOT NULL', 'TIMESTAMP(3) NOT NULL'])).toBe('BIGINT NOT NULL');
    expect(rt('FLOOR_TO', ['TIMESTAMP(3) NOT NULL', 'STRING NOT NULL'])).toBe('TIMESTAMP(3) NOT NULL');
    expect(rt('TIMESTAMPDIFF', ['STRING NOT NULL', 'TIMESTAMP(3)', 'TIMESTAMP(3)'])).toBe('INT');
    expect(rt('TIMESTAMPADD', ['STRING NOT NULL', 'INT', 'DATE'], ['DAY'])).toBe('DATE');
    expect(rt('TIMESTAMPADD', ['STRING NOT NULL', 'INT', 'DATE'], ['HOUR'])).toBe('TIMESTAMP(0)');
    expect(rt('DATE_FORMAT', ['TIMESTAMP(3)', 'STRING'])).toBe('STRING');
    expect(() => rt('DATE_FORMAT', ['INT', 'STRING'])).toThrow(/DATE_FORMAT\(TIMESTAMP \| STRING, format STRING\)/);
    expect(() => call('EXTRACT', ['STRING', TS], ['FORTNIGHT', 0])).toThrow(/unknown time unit 'FORTNIGHT'/);
    expect(() => call('EXTRACT', ['STRING', TS], ['YEAR', 0], { constants: 'none' })).toThrow(/must be a constant/);
  });
});

describe('time helpers', () => {
  it('zone offsets, including DST gaps', () => {
    expect(zoneOffsetMicros(ts('2024-07-01 00:00:00'), 'Europe/Berlin')).toBe(2 * 3600e6);
    expect(zoneOffsetMicros(ts('2024-01-01 00:00:00'), 'Europe/Berlin')).toBe(3600e6);
    expect(zoneOffsetMicros(ts('2024-01-01 00:00:00'), 'Asia/Kolkata')).toBe(5.5 * 3600e6);
    expect(instantToLocal(ts('2024-03-31 01:30:00'), 'Europe/Berlin')).toBe(ts('2024-03-31 03:30:00'));
    // 02:30 does not exist on 2024-03-31 in Berlin: moves forward.
    expect(localToInstant(ts('2024-03-31 02:30:00'), 'Europe/Berlin')).toBe(ts('2024-03-31 01:30:00'));
    // 02:30 exists twice on 2024-10-27: the earlier offset (+02:00).
    expect(localToInstant(ts('2024-10-27 02:30:00'), 'Europe/Berlin')).toBe(ts('2024-10-27 00:30:00'));
    expect(() => zoneOffsetMicros(0, 'Mars/Olympus')).toThrow();
  });
  it("a TIMESTAMP_LTZ window's trigger instant, as Flink's TimeWindowUtil.toEpochMillsForTimer", () => {
    const LA = 'America/Los_Angeles';
    const ms = (n: number) => n * 1000;
    expect(zoneUsesDaylightTime(LA)).toBe(true);
    expect(zoneUsesDaylightTime('Asia/Kolkata')).toBe(false);
    expect(zoneUsesDaylightTime('Asia/Shanghai')).toBe(false); // DST only before 1992
    expect(zoneUsesDaylightTime('+08:00')).toBe(false);
    // Flink's own examples (its comments): the spring-forward gap fires at its first instant.
    expect(windowTriggerInstant(ts('2021-03-14 01:00:00'), LA)).toBe(ms(1615712400000));
    expect(windowTriggerInstant(ts('2021-03-14 02:00:00'), LA)).toBe(ms(1615716000000));
    expect(windowTriggerInstant(ts('2021-03-14 02:59:59'), LA)).toBe(ms(1615716000000));
    expect(windowTriggerInstant(ts('2021-03-14 03:00:00'), LA)).toBe(ms(1615716000000));
    // The repeated fall-back hour fires at its later instant.
    expect(windowTriggerInstant(ts('2021-11-07 00:00:00'), LA)).toBe(ms(1636268400000));
    expect(windowTriggerInstant(ts('2021-11-07 01:00:00'), LA)).toBe(ms(1636275600000));
    expect(windowTriggerInstant(ts('2021-11-07 02:00:00'), LA)).toBe(ms(1636279200000));
    // Without DST: the wall clock as an instant.
    expect(windowTriggerInstant(ts('2024-02-29 15:59:59.999'), 'Asia/Kolkata')).toBe(ts('2024-02-29 10:29:59.999'));
  });
  it('a watermark as the wall clock whose windows have fired (localProgress)', () => {
    const LA = 'America/Los_Angeles';
    const fired = (localEnd: string, wm: number) => isWindowFired(ts(localEnd), localProgress(wm, LA));
    // [01:00, 02:00) on 2021-11-07 holds both 01:xx hours: it fires at 01:59:59.999 PST (09:59:59.999Z).
    expect(fired('2021-11-07 02:00:00', ts('2021-11-07 09:59:59.998'))).toBe(false);
    expect(fired('2021-11-07 02:00:00', ts('2021-11-07 09:59:59.999'))).toBe(true);
    // [00:00, 01:00) fires at 00:59:59.999 PDT (07:59:59.999Z), before the repeated hour.
    expect(fired('2021-11-07 01:00:00', ts('2021-11-07 07:59:59.998'))).toBe(false);
    expect(fired('2021-11-07 01:00:00', ts('2021-11-07 07:59:59.999'))).toBe(true);
    // [01:00, 03:00) on 2021-03-14 ends in the gap's hour: it fires at 03:00 PDT (10:00Z), with [01:00, 02:30).
    expect(fired('2021-03-14 03:00:00', ts('2021-03-14 09:59:59.999'))).toBe(false);
    expect(fired('2021-03-14 03:00:00', ts('2021-03-14 10:00:00'))).toBe(true);
    expect(fired('2021-03-14 02:30:00', ts('2021-03-14 10:00:00'))).toBe(true);
    expect(fired('2021-03-14 03:30:00', ts('2021-03-14 10:00:00'))).toBe(false);
    for (const wm of [ts('2021-11-07 08:30:00'), ts('2021-03-14 10:00:00.001'), ts('2024-02-29 10:29:59.999')]) {
      const p = localProgress(wm, LA);
      expect(windowTriggerInstant(p, LA)).toBeLessThanOrEqual(wm);
      expect(windowTriggerInstant(p + 1000, LA)).toBeGreaterThan(wm);
    }
    expect(localProgress(Infinity, LA)).toBe(Infinity);
    expect(localProgress(ts('2024-02-29 10:29:59.999'), 'Asia/Kolkata')).toBe(ts('2024-02-29 15:59:59.999'));
  });
  it('pattern formatter and parser round trip', () => {
    const p = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";
    const v = ts('1999-12-31 23:59:58.123456');
    const s = compileDateFormatter(p)(v);
    expect(s).toBe('1999-12-31T23:59:58.123456');
    expect(compileDateParser(p)(s)).toBe(v);
    expect(compileDateFormatter("''yy''")(v)).toBe("'99'");
    expect(compileDateFormatter("'it''s' yyyy")(v)).toBe("it's 1999");
    expect(compileDateFormatter("yyyy-MM-dd'T'HH")(v)).toBe('1999-12-31T23');
    expect(compileDateParser('yyyy-MM-dd')('1999-12-31 x')).toBeUndefined();
  });
});
