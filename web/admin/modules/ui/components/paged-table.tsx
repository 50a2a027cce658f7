import { Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { CursorPages } from '../hooks/use-cursor-pages';
import { CursorPager } from './cursor-pager';

/** A column heading; `end` aligns it to the end, as the numbers below it. */
export type PagedTableColumn = { label: ReactNode; end?: boolean };

/**
 * One page of a server-paged list: the table (scrolling sideways below `minWidth`), the rows the
 * caller renders, a "nothing here" row once loading is done and the page is empty, and the pager.
 */
export function PagedTable({
  columns,
  minWidth,
  count,
  loading,
  empty,
  pages,
  nextCursor,
  children,
}: {
  columns: PagedTableColumn[];
  minWidth: number;
  /** Rows on this page. */
  count: number;
  loading: boolean;
  /** What the empty row says. */
  empty: ReactNode;
  pages: CursorPages;
  nextCursor: string | null | undefined;
  children: ReactNode;
}) {
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={minWidth}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c, i) => (
                <Table.Th key={i} ta={c.end ? 'end' : undefined}>
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {children}
            {!count && !loading ? (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Text c="dimmed">{empty}</Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CursorPager pages={pages} nextCursor={nextCursor} count={count} />
    </Stack>
  );
}
