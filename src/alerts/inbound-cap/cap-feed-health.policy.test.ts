import { describe, expect, it } from 'vitest';
import { displayFeedUrl, feedHealth, maskUrlsIn, type FeedState } from './cap-feed-health.policy.js';

const now = new Date('2026-12-04T19:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const polled = (over: Partial<FeedState> = {}): FeedState => ({
  last_polled_at: minutesAgo(1),
  last_success_at: minutesAgo(1),
  last_error: null,
  consecutive_failures: 0,
  ...over,
});

describe('feedHealth', () => {
  it.each([
    ['waiting', undefined],
    ['waiting', polled({ last_polled_at: null, last_success_at: null })],
    ['ok', polled()],
    ['entry_errors', polled({ last_error: '1 of 3 entries failed; …' })],
    ['failing', polled({ consecutive_failures: 1, last_success_at: null, last_error: 'HTTP 500' })],
    ['stale', polled({ last_polled_at: minutesAgo(4), consecutive_failures: 2 })],
  ] as const)('%s for %j', (health, state) => {
    expect(feedHealth(state, now, 60).health).toBe(health);
  });

  it('counts three poll periods, at least a minute, before calling a feed stale', () => {
    expect(feedHealth(polled({ last_polled_at: minutesAgo(2.9) }), now, 60).health).toBe('ok');
    expect(feedHealth(polled({ last_polled_at: minutesAgo(3.1) }), now, 60).health).toBe('stale');
    expect(feedHealth(polled({ last_polled_at: minutesAgo(0.9) }), now, 5).health).toBe('ok');
  });

  it('says a failing feed never answered, or when it last did', () => {
    expect(feedHealth(polled({ consecutive_failures: 1, last_success_at: null }), now, 60).summary).toBe(
      'Failing: the last poll gave no usable answer; never answered. CAP from this feed is not arriving.',
    );
  });
});

describe('maskUrlsIn', () => {
  it('masks the URLs in a feed error the way the feed list shows them', () => {
    expect(
      maskUrlsIn('no answer from https://county.example.gov/cap.atom?api_key=s3cret: connect ECONNREFUSED'),
    ).toBe('no answer from https://county.example.gov/cap.atom?api_key=***: connect ECONNREFUSED');
  });
});

describe('displayFeedUrl', () => {
  it('masks secret-looking query values and credentials, and keeps the rest', () => {
    expect(displayFeedUrl('https://user:pw@feeds.example.gov/cap?token=abc&zone=MAZ014&Signature=x')).toBe(
      'https://feeds.example.gov/cap?token=***&zone=MAZ014&Signature=***',
    );
    expect(displayFeedUrl('https://api.weather.gov/alerts/active.atom?zone=MAZ014')).toBe(
      'https://api.weather.gov/alerts/active.atom?zone=MAZ014',
    );
  });
});
