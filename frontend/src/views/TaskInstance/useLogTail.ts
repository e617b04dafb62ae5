/**
 * Tails one try's log: fetches from offset 0, then keeps asking for ?offset=<next_offset> and
 * appends while the try is not complete. Changing the try starts over.
 */
import { useEffect, useState } from "react";
import { request } from "../../api/client";
import { logPath } from "../../api/hooks";
import type { LogChunk } from "../../api/types";

const TAIL_MS = 1000;

export interface LogTail {
  content: string;
  complete: boolean;
  error: unknown;
  loading: boolean;
}

export function useLogTail(dagId: string, runId: string, taskId: string, tryNumber: number | null, mapIndex = -1): LogTail {
  const [tail, setTail] = useState<LogTail>({ content: "", complete: false, error: null, loading: true });

  useEffect(() => {
    setTail({ content: "", complete: false, error: null, loading: true });
    if (tryNumber === null || tryNumber < 1) {
      setTail({ content: "", complete: true, error: null, loading: false });
      return;
    }
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchFrom = async (offset: number) => {
      try {
        const chunk = await request<LogChunk>(logPath(dagId, runId, taskId, tryNumber, offset, mapIndex), { signal: abort.signal });
        setTail((current) => ({ content: current.content + chunk.content, complete: chunk.complete, error: null, loading: false }));
        if (!chunk.complete) timer = setTimeout(() => void fetchFrom(chunk.next_offset), TAIL_MS);
      } catch (error) {
        if (abort.signal.aborted) return;
        setTail((current) => ({ ...current, error, loading: false }));
        timer = setTimeout(() => void fetchFrom(offset), TAIL_MS * 5);
      }
    };
    void fetchFrom(0);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [dagId, runId, taskId, tryNumber, mapIndex]);

  return tail;
}
