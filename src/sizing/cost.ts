/**
 * On-demand cost of the request units a run consumes. Provisioned tables
 * pay by the hour for capacity whatever a run uses, so only on-demand has a
 * per-run price.
 */

export interface Prices {
  /** USD per million read request units. */
  readPerMillion: number;
  /** USD per million write request units. */
  writePerMillion: number;
}

/**
 * us-east-1 on-demand list prices for the Standard table class, after the
 * price cut of 1 November 2024 (https://aws.amazon.com/dynamodb/pricing/on-demand/),
 * checked on the date below. Other regions and Standard-IA differ: the
 * command takes --read-price and --write-price.
 */
export const DEFAULT_PRICES: Prices & { source: string } = {
  readPerMillion: 0.125,
  writePerMillion: 0.625,
  source: 'us-east-1 on-demand list prices, Standard table class, checked 2026-12-01',
};

export interface Cost {
  read: number;
  write: number;
  total: number;
}

export function onDemandCost(readUnits: number, writeUnits: number, prices: Prices): Cost {
  const read = (readUnits / 1e6) * prices.readPerMillion;
  const write = (writeUnits / 1e6) * prices.writePerMillion;
  return { read, write, total: read + write };
}
