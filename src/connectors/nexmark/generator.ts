// The Nexmark event stream (persons, auctions, bids), generated as the Nexmark suite's generator
// (nexmark-flink) defines it: event n is a person, an auction or a bid by n modulo the sum of the
// proportions (default 1:3:46); its event time is baseTime + n × 1e6/first-event.rate µs (in ms);
// ids, sellers, bidders, hot auctions/sellers/bidders, prices (10^(6u) × 100), string lengths and
// the 'extra' padding to the average byte sizes follow the suite's distributions.
// Unlike the suite (an unseeded java.util.Random shared by all events), every event draws from its
// own generator seeded by (seed, event number): the stream is deterministic, and any event can be
// produced alone — a source resumes from a count, and workers can split the numbers between them.

export interface NexmarkConfig {
  personProportion: number;
  auctionProportion: number;
  bidProportion: number;
  /** Events per second of event time (first-event.rate). */
  firstEventRate: number;
  avgPersonByteSize: number;
  avgAuctionByteSize: number;
  avgBidByteSize: number;
  hotAuctionRatio: number;
  hotSellersRatio: number;
  hotBiddersRatio: number;
  numInFlightAuctions: number;
  numActivePeople: number;
  /** Event time of event 0, ms since the epoch. */
  baseTime: number;
  seed: number;
}

export const DEFAULT_NEXMARK: NexmarkConfig = {
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  firstEventRate: 10_000,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  hotAuctionRatio: 2,
  hotSellersRatio: 4,
  hotBiddersRatio: 4,
  numInFlightAuctions: 100,
  numActivePeople: 1000,
  baseTime: Date.UTC(2025, 0, 1),
  seed: 0,
};

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
const PERSON_ID_LEAD = 10;
const AUCTION_ID_LEAD = 10;
const HOT_SELLER_RATIO = 100;
const HOT_AUCTION_RATIO = 100;
const HOT_BIDDER_RATIO = 100;
const NUM_CATEGORIES = 5;
const HOT_CHANNELS_RATIO = 2;
const CHANNELS_NUMBER = 10_000;
const MIN_STRING_LENGTH = 3;

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];

export const EVENT_PERSON = 0;
export const EVENT_AUCTION = 1;
export const EVENT_BID = 2;

export interface Person {
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  /** ms since the epoch */
  dateTime: number;
  extra: string;
}

export interface Auction {
  id: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
  extra: string;
}

export interface Bid {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

export type NexmarkEvent = { type: 0; person: Person } | { type: 1; auction: Auction } | { type: 2; bid: Bid };

/** sfc32, reseeded per event: cheap, and good enough for synthetic data. */
class EventRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  reseed(seed: number, n: number): void {
    this.a = seed >>> 0;
    this.b = n >>> 0;
    this.c = Math.floor(n / 4294967296) >>> 0;
    this.d = 0x9e3779b9;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits. */
  double(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return n <= 4294967296 ? Math.floor((this.u32() / 4294967296) * n) : Math.floor(this.double() * n);
  }
}

export class NexmarkGenerator {
  readonly totalProportion: number;
  private readonly interEventDelayUs: number;
  private readonly rnd = new EventRandom();
  private readonly hotUrls: string[];
  private readonly channelUrls = new Map<number, string>();

  constructor(readonly config: NexmarkConfig) {
    this.totalProportion = config.personProportion + config.auctionProportion + config.bidProportion;
    this.interEventDelayUs = 1_000_000 / config.firstEventRate;
    this.hotUrls = HOT_CHANNELS.map((_, i) => this.baseUrl(-1 - i));
  }

  /** The kind of event n: 0 person, 1 auction, 2 bid. */
  eventType(n: number): 0 | 1 | 2 {
    const rem = n % this.totalProportion;
    return rem < this.config.personProportion ? 0 : rem < this.config.personProportion + this.config.auctionProportion ? 1 : 2;
  }

  /** Event time of event n, ms since the epoch. */
  timestamp(n: number): number {
    return this.config.baseTime + Math.floor(Math.floor(n * this.interEventDelayUs) / 1000);
  }

  event(n: number): NexmarkEvent {
    const type = this.eventType(n);
    this.rnd.reseed(this.config.seed, n);
    const ts = this.timestamp(n);
    if (type === 0) return { type, person: this.person(n, ts) };
    if (type === 1) return { type, auction: this.auction(n, ts) };
    return { type, bid: this.bid(n, ts) };
  }

  private lastBase0PersonId(n: number): number {
    const epoch = Math.floor(n / this.totalProportion);
    let offset = n % this.totalProportion;
    if (offset >= this.config.personProportion) offset = this.config.personProportion - 1;
    return epoch * this.config.personProportion + offset;
  }

  private lastBase0AuctionId(n: number): number {
    const c = this.config;
    let epoch = Math.floor(n / this.totalProportion);
    let offset = n % this.totalProportion;
    if (offset < c.personProportion) {
      epoch--;
      offset = c.auctionProportion - 1;
    } else if (offset >= c.personProportion + c.auctionProportion) offset = c.auctionProportion - 1;
    else offset -= c.personProportion;
    return epoch * c.auctionProportion + offset;
  }

  private nextBase0PersonId(n: number): number {
    const numPeople = this.lastBase0PersonId(n) + 1;
    const active = Math.min(numPeople, this.config.numActivePeople);
    return numPeople - active + this.rnd.int(active + PERSON_ID_LEAD);
  }

  private nextBase0AuctionId(n: number): number {
    const max = this.lastBase0AuctionId(n);
    const min = Math.max(max - this.config.numInFlightAuctions, 0);
    return min + this.rnd.int(max - min + 1 + AUCTION_ID_LEAD);
  }

  private price(): number {
    return Math.round(Math.pow(10, this.rnd.double() * 6) * 100);
  }

  /** A string of 3 to maxLength-1 letters, with `special` sprinkled in (1 in 13), trimmed. */
  private string(maxLength: number, special = ' '): string {
    let len = MIN_STRING_LENGTH + this.rnd.int(maxLength - MIN_STRING_LENGTH);
    let s = '';
    while (len-- > 0) s += this.rnd.int(13) === 0 ? special : String.fromCharCode(97 + this.rnd.int(26));
    return special === ' ' ? s.trim() : s;
  }

  /** Padding so that currentSize + its length is desiredAverage on average (±20 %). */
  private extra(currentSize: number, desiredAverage: number): string {
    if (currentSize > desiredAverage) return '';
    const avg = desiredAverage - currentSize;
    const delta = Math.round(avg * 0.2);
    let len = avg - delta + (delta === 0 ? 0 : this.rnd.int(2 * delta));
    let s = '';
    while (len > 0) {
      // Six letters from one draw, as the suite's nextExactString.
      let r = this.rnd.u32() & 0x7fffffff;
      for (let k = 0; k < 6 && len > 0; k++, len--) {
        s += String.fromCharCode(97 + (r % 26));
        r = Math.floor(r / 26);
      }
    }
    return s;
  }

  private person(n: number, ts: number): Person {
    const name = FIRST_NAMES[this.rnd.int(FIRST_NAMES.length)] + ' ' + LAST_NAMES[this.rnd.int(LAST_NAMES.length)];
    const emailAddress = this.string(7) + '@' + this.string(5) + '.com';
    let creditCard = '';
    for (let i = 0; i < 4; i++) creditCard += (i > 0 ? ' ' : '') + String(this.rnd.int(10000)).padStart(4, '0');
    const city = US_CITIES[this.rnd.int(US_CITIES.length)];
    const state = US_STATES[this.rnd.int(US_STATES.length)];
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    return {
      id: this.lastBase0PersonId(n) + FIRST_PERSON_ID,
      name,
      emailAddress,
      creditCard,
      city,
      state,
      dateTime: ts,
      extra: this.extra(size, this.config.avgPersonByteSize),
    };
  }

  private auction(n: number, ts: number): Auction {
    const c = this.config;
    const id = this.lastBase0AuctionId(n) + FIRST_AUCTION_ID;
    const seller =
      (this.rnd.int(c.hotSellersRatio) > 0 ? Math.floor(this.lastBase0PersonId(n) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO : this.nextBase0PersonId(n)) + FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + this.rnd.int(NUM_CATEGORIES);
    const initialBid = this.price();
    // Auctions last on average until numInFlightAuctions more auctions have been generated.
    const eventsForAuctions = Math.floor((c.numInFlightAuctions * this.totalProportion) / c.auctionProportion);
    const horizon = this.timestamp(n + eventsForAuctions) - ts;
    const expires = ts + 1 + this.rnd.int(Math.max(horizon * 2, 1));
    const itemName = this.string(20);
    const description = this.string(100);
    const reserve = initialBid + this.price();
    const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
    return { id, itemName, description, initialBid, reserve, dateTime: ts, expires, seller, category, extra: this.extra(size, c.avgAuctionByteSize) };
  }

  private bid(n: number, ts: number): Bid {
    const c = this.config;
    const auction =
      (this.rnd.int(c.hotAuctionRatio) > 0 ? Math.floor(this.lastBase0AuctionId(n) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO : this.nextBase0AuctionId(n)) + FIRST_AUCTION_ID;
    const bidder =
      (this.rnd.int(c.hotBiddersRatio) > 0 ? Math.floor(this.lastBase0PersonId(n) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1 : this.nextBase0PersonId(n)) + FIRST_PERSON_ID;
    const price = this.price();
    let channel: string;
    let url: string;
    if (this.rnd.int(HOT_CHANNELS_RATIO) > 0) {
      const i = this.rnd.int(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i];
      url = this.hotUrls[i];
    } else {
      const k = this.rnd.int(CHANNELS_NUMBER);
      channel = `channel-${k}`;
      url = this.channelUrl(k);
    }
    return { auction, bidder, price, channel, url, dateTime: ts, extra: this.extra(32, c.avgBidByteSize) };
  }

  /** The URL of channel k (9 in 10 carry a channel_id), the same every time it is asked for. */
  private channelUrl(k: number): string {
    let url = this.channelUrls.get(k);
    if (url === undefined) {
      url = this.baseUrl(k);
      const r = new EventRandom();
      r.reseed(this.config.seed ^ 0x5bd1e995, k + 1_000_000);
      if (r.int(10) > 0) url += `&channel_id=${Math.abs(reverseBits32(k))}`;
      this.channelUrls.set(k, url);
    }
    return url;
  }

  /** https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1 with three random path parts. */
  private baseUrl(key: number): string {
    const r = new EventRandom();
    r.reseed(this.config.seed ^ 0x2545f491, key + 2_000_000);
    const part = () => {
      let len = MIN_STRING_LENGTH + r.int(5 - MIN_STRING_LENGTH);
      let s = '';
      while (len-- > 0) s += r.int(13) === 0 ? '_' : String.fromCharCode(97 + r.int(26));
      return s;
    };
    return `https://www.nexmark.com/${part()}/${part()}/${part()}/item.htm?query=1`;
  }
}

/** Java's Integer.reverse as a signed 32-bit value. */
function reverseBits32(x: number): number {
  let v = x >>> 0;
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (v & 1);
    v >>>= 1;
  }
  return r | 0;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** A TIMESTAMP(3) as Flink's JSON format writes it by default (SQL standard): 'yyyy-MM-dd HH:mm:ss.SSS'. */
export function sqlTimestamp(ms: number): string {
  const d = new Date(ms);
  const msPart = d.getUTCMilliseconds();
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${msPart < 10 ? '00' : msPart < 100 ? '0' : ''}${msPart}`;
}

/** Event n as one JSON object in the shape of the suite's `datagen`/`kafka` table (event_type, person, auction, bid). */
export function eventJson(e: NexmarkEvent): string {
  const q = JSON.stringify;
  if (e.type === 0) {
    const p = e.person;
    return `{"event_type":0,"person":{"id":${p.id},"name":${q(p.name)},"emailAddress":${q(p.emailAddress)},"creditCard":${q(p.creditCard)},"city":${q(p.city)},"state":${q(p.state)},"dateTime":"${sqlTimestamp(p.dateTime)}","extra":${q(p.extra)}},"auction":null,"bid":null}`;
  }
  if (e.type === 1) {
    const a = e.auction;
    return `{"event_type":1,"person":null,"auction":{"id":${a.id},"itemName":${q(a.itemName)},"description":${q(a.description)},"initialBid":${a.initialBid},"reserve":${a.reserve},"dateTime":"${sqlTimestamp(a.dateTime)}","expires":"${sqlTimestamp(a.expires)}","seller":${a.seller},"category":${a.category},"extra":${q(a.extra)}},"bid":null}`;
  }
  const b = e.bid;
  return `{"event_type":2,"person":null,"auction":null,"bid":{"auction":${b.auction},"bidder":${b.bidder},"price":${b.price},"channel":${q(b.channel)},"url":${q(b.url)},"dateTime":"${sqlTimestamp(b.dateTime)}","extra":${q(b.extra)}}}`;
}
