import type { IconName } from "../../app/navigation";

const paths: Record<IconName | "menu" | "sun" | "moon" | "logout", string> = {
  home: "M3 10.5 10 4l7 6.5V17a1 1 0 0 1-1 1h-4v-5H8v5H4a1 1 0 0 1-1-1z",
  users:
    "M7 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7 1a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM1.5 17c0-3 2.5-5 5.5-5s5.5 2 5.5 5zm12 0c0-1.7-.6-3.2-1.6-4.3 2.9-.3 5.1 1.5 5.1 4.3z",
  template: "M4 3h9l3 3v11H4zm2 5h8M6 11h8M6 14h5",
  send: "M2.5 10 17 3l-4 14-3.5-5.5zM9.5 11.5 17 3",
  chart: "M3 17h14M5 14V9m4 5V5m4 9v-6m4 6V7",
  sparkles:
    "M10 2l1.5 4.5L16 8l-4.5 1.5L10 14l-1.5-4.5L4 8l4.5-1.5zM15 13l.8 2.2L18 16l-2.2.8L15 19l-.8-2.2L12 16l2.2-.8z",
  settings:
    "M10 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM8.6 2h2.8l.4 2.2 1.6.9 2.1-.8 1.4 2.4-1.7 1.5v1.6l1.7 1.5-1.4 2.4-2.1-.8-1.6.9-.4 2.2H8.6l-.4-2.2-1.6-.9-2.1.8-1.4-2.4 1.7-1.5V8.2L3.1 6.7l1.4-2.4 2.1.8 1.6-.9z",
  shield: "M10 2 3 5v5c0 4 3 7 7 8 4-1 7-4 7-8V5zm-3 8 2 2 4-4",
  menu: "M3 5h14M3 10h14M3 15h14",
  sun: "M10 14a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM10 1v2m0 14v2M1 10h2m14 0h2M3.6 3.6l1.4 1.4m10 10 1.4 1.4M3.6 16.4 5 15m10-10 1.4-1.4",
  moon: "M16.5 12.5A7 7 0 0 1 7.5 3.5a7 7 0 1 0 9 9z",
  logout: "M8 4H4v12h4m4-3 3-3-3-3m3 3H8",
};

export function Icon({ name, className = "h-5 w-5" }: { name: keyof typeof paths; className?: string }) {
  return (
    <svg
      viewBox="0 0 20 20"
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      <path d={paths[name]} />
    </svg>
  );
}
