import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors/validation-error.js';
import {
  resolveTimeZone,
  zonedTimeToIso,
  zonedTimeToInstant,
  zoneOffset,
  zoneOffsetFromFields,
} from './zoned-time.js';

const at = (zone: string, y: number, mo: number, d: number, h: number, mi = 0, s = 0) =>
  zonedTimeToIso({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, zone);

describe('zonedTimeToIso', () => {
  it('reads ordinary times in standard and summer time', () => {
    expect(at('Europe/Berlin', 2024, 1, 15, 12)).toBe('2024-01-15T11:00:00.000Z');
    expect(at('Europe/Berlin', 2024, 7, 15, 12)).toBe('2024-07-15T10:00:00.000Z');
    expect(at('America/New_York', 2023, 12, 30, 16, 15)).toBe('2023-12-30T21:15:00.000Z');
    expect(at('Asia/Kolkata', 2024, 5, 1, 0, 0)).toBe('2024-04-30T18:30:00.000Z');
    expect(at('UTC', 2024, 2, 29, 23, 59, 59)).toBe('2024-02-29T23:59:59.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    // 02:30 does not exist on these days; the clocks jump from 02:00 to 03:00.
    expect(at('Europe/Berlin', 2024, 3, 31, 2, 30)).toBe('2024-03-31T01:30:00.000Z');
    expect(at('America/New_York', 2023, 3, 12, 2, 30)).toBe('2023-03-12T07:30:00.000Z');
  });

  it('reads a repeated fall-back time as the earlier instant', () => {
    expect(at('Europe/Berlin', 2024, 10, 27, 2, 30)).toBe('2024-10-27T00:30:00.000Z');
    expect(at('America/New_York', 2023, 11, 5, 1, 30)).toBe('2023-11-05T05:30:00.000Z');
  });

  it('is exact on both sides of a change', () => {
    expect(at('Europe/Berlin', 2024, 3, 31, 1, 59, 59)).toBe('2024-03-31T00:59:59.000Z');
    expect(at('Europe/Berlin', 2024, 3, 31, 3, 0, 0)).toBe('2024-03-31T01:00:00.000Z');
    expect(at('Europe/Berlin', 2024, 10, 27, 3, 0, 0)).toBe('2024-10-27T02:00:00.000Z');
  });

  it('handles the southern hemisphere and half-hour daylight saving', () => {
    expect(at('Australia/Sydney', 2024, 1, 1, 12)).toBe('2024-01-01T01:00:00.000Z');
    expect(at('Australia/Sydney', 2024, 7, 1, 12)).toBe('2024-07-01T02:00:00.000Z');
    // Lord Howe Island moves its clocks by 30 minutes.
    expect(at('Australia/Lord_Howe', 2024, 1, 1, 12)).toBe('2024-01-01T01:00:00.000Z');
    expect(at('Australia/Lord_Howe', 2024, 7, 1, 12)).toBe('2024-07-01T01:30:00.000Z');
  });

  it('agrees with Intl for every hour of a year (round trip outside gaps)', () => {
    const zone = 'America/Sao_Paulo';
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    for (let hour = 0; hour < 24 * 366; hour += 7) {
      const instant = Date.UTC(2016, 0, 1) + hour * 3_600_000;
      const parts = Object.fromEntries(
        format.formatToParts(instant).map((part) => [part.type, part.value]),
      );
      const wall = {
        year: +parts.year!,
        month: +parts.month!,
        day: +parts.day!,
        hour: +parts.hour!,
        minute: +parts.minute!,
      };
      const back = zonedTimeToInstant(wall, zone);
      // A repeated hour reads as its earlier instant; everything else round-trips exactly.
      expect(back === instant || back === instant - 3_600_000).toBe(true);
    }
  });

  it('keeps milliseconds', () => {
    expect(
      zonedTimeToIso(
        { year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 123 },
        'UTC',
      ),
    ).toBe('2024-01-01T00:00:00.123Z');
  });
});

describe('zoneOffset and resolveTimeZone', () => {
  it('gives offsets in milliseconds east of UTC', () => {
    expect(zoneOffset('Asia/Kathmandu', Date.UTC(2024, 0, 1))).toBe((5 * 60 + 45) * 60_000);
    expect(zoneOffset('America/St_Johns', Date.UTC(2024, 0, 1))).toBe(-(3 * 60 + 30) * 60_000);
  });

  it('rejects an unknown zone with a message that says what is expected', () => {
    expect(() => resolveTimeZone('Mars/Olympus_Mons')).toThrow(ValidationError);
    expect(() => zonedTimeToIso({ year: 2024, month: 1, day: 1 }, 'Nowhere/Town')).toThrow(
      /unknown time zone "Nowhere\/Town".*IANA/,
    );
  });
});

describe('zoneOffset against the zone clock read field by field', () => {
  it('agrees at random instants from 1850 to 2040 in zones with odd offsets and rules', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Europe/Dublin',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Pacific/Apia',
      'Africa/Monrovia',
      'Africa/Casablanca',
      'UTC',
    ];
    let seed = 12_345;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const from = Date.UTC(1850, 0, 1);
    const to = Date.UTC(2040, 0, 1);
    for (const zone of zones) {
      for (let n = 0; n < 300; n += 1) {
        const instant = Math.floor(from + next() * (to - from));
        expect(zoneOffset(zone, instant), `${zone} at ${new Date(instant).toISOString()}`).toBe(
          zoneOffsetFromFields(zone, instant),
        );
      }
    }
  });
});
