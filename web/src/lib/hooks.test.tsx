import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useAsync } from "./hooks";

function Pager({ page, log }: { page: number; log: string[] }) {
  const r = useAsync(() => new Promise<number>((res) => setTimeout(() => res(page * 10), 20)), [page]);
  log.push(`page ${page}: ${r.loading ? "loading" : `data ${r.data}`}`);
  return <p>{r.loading ? "busy" : `rows of ${r.data}`}</p>;
}

describe("useAsync", () => {
  it("reports loading in the same render that changes its inputs, keeping the old data meanwhile", async () => {
    const log: string[] = [];
    const { rerender } = render(<Pager page={1} log={log} />);
    expect(await screen.findByText("rows of 10")).toBeInTheDocument();
    log.length = 0;
    rerender(<Pager page={2} log={log} />);
    // Never "page 2: data 10": the old rows are not presented as page 2's.
    expect(log[0]).toBe("page 2: loading");
    expect(await screen.findByText("rows of 20")).toBeInTheDocument();
    expect(log.filter((l) => l === "page 2: data 10")).toEqual([]);
  });
});
