/**
 * The look every Herald chart shares, spread onto Recharts' own elements (Recharts reads its
 * children's types, so these stay props, not wrapper components). Colours follow `currentColor`,
 * so light and dark themes need nothing more.
 */
export const gridProps = {
  strokeDasharray: "3 3",
  stroke: "currentColor",
  strokeOpacity: 0.15,
  vertical: false,
} as const;

export const xAxisProps = {
  dataKey: "label",
  tick: { fill: "currentColor", fontSize: 12 },
  stroke: "currentColor",
} as const;

export const yAxisProps = {
  allowDecimals: false,
  tick: { fill: "currentColor", fontSize: 12 },
  stroke: "currentColor",
  width: 56,
} as const;

export const tooltipContentStyle = { borderRadius: 6, fontSize: 13, color: "#0f172a" } as const;
