/**
 * The search attributes a run carries, so the Temporal UI can list the runs
 * of one job or one table. They must be registered on the server first
 * (the local stack does; see README for a real cluster). Values are job and
 * table names only, never item data.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DYNAMASK_JOB = defineSearchAttributeKey('DynamaskJob', SearchAttributeType.KEYWORD);
export const DYNAMASK_TABLE = defineSearchAttributeKey('DynamaskTable', SearchAttributeType.KEYWORD_LIST);

export const SEARCH_ATTRIBUTE_KEYS = [DYNAMASK_JOB, DYNAMASK_TABLE];
