/**
 * What a table can serve per second, from its DescribeTable: provisioned
 * capacity, or for on-demand its warm throughput ("Understanding DynamoDB
 * warm throughput",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput.html):
 * what it serves at once, from which it scales as traffic grows.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb';

export interface TableCapacity {
  mode: 'onDemand' | 'provisioned';
  /** Read units per second: provisioned, or warm for on-demand; undefined when DescribeTable gives none (DynamoDB Local). */
  readUnitsPerSecond?: number;
  writeUnitsPerSecond?: number;
}

/**
 * A new on-demand table, as `createTable: true` makes one, serves 4,000
 * writes and 12,000 reads per second at once ("Pre-warming a table for
 * on-demand capacity mode",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pre-warming-on-demand-capacity-mode.html).
 */
export const NEW_ON_DEMAND_TABLE: TableCapacity = { mode: 'onDemand', readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 };

/**
 * Each partition serves at most 3,000 read units and 1,000 write units per
 * second, whatever the table's total ("Understanding DynamoDB warm
 * throughput in different scenarios",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html).
 */
export const PARTITION_READ_UNITS_PER_SECOND = 3_000;
export const PARTITION_WRITE_UNITS_PER_SECOND = 1_000;

/** The capacity of a table, or of the global secondary index a job reads. */
export function tableCapacity(table: TableDescription, index?: string): TableCapacity {
  const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes?.find((i) => i.IndexName === index);
  const onDemand = table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
  if (onDemand) {
    const warm = gsi ? gsi.WarmThroughput : table.WarmThroughput;
    return {
      mode: 'onDemand',
      ...(positive(warm?.ReadUnitsPerSecond) ? { readUnitsPerSecond: warm!.ReadUnitsPerSecond! } : {}),
      ...(positive(warm?.WriteUnitsPerSecond) ? { writeUnitsPerSecond: warm!.WriteUnitsPerSecond! } : {}),
    };
  }
  const provisioned = gsi ? gsi.ProvisionedThroughput : table.ProvisionedThroughput;
  return {
    mode: 'provisioned',
    ...(positive(provisioned?.ReadCapacityUnits) ? { readUnitsPerSecond: provisioned!.ReadCapacityUnits! } : {}),
    ...(positive(provisioned?.WriteCapacityUnits) ? { writeUnitsPerSecond: provisioned!.WriteCapacityUnits! } : {}),
  };
}

function positive(value: number | undefined): boolean {
  return value !== undefined && value > 0;
}
