import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import type { Lead } from "../../api/models";
import { leadBody, LeadForm } from "./LeadForm";

const lead: Lead = {
  id: 7,
  email: "ann@example.com",
  first_name: "Ann",
  last_name: "Lee",
  company: "Acme",
  title: "",
  phone: "",
  website: "",
  country: "DE",
  timezone: "",
  status: "new",
  score: 10,
  owner_id: null,
  tags: ["vip"],
  custom_fields: { industry: "saas", size: "10" },
  source: "import",
  created_at: "",
  updated_at: "",
  last_contacted_at: null,
  last_activity_at: null,
};

describe("LeadForm", () => {
  it("shows each field error from the server beside its field, and the rest above the form", async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError({
        status: 422,
        title: "Validation failed",
        fieldErrors: {
          email: "is not a valid email address",
          score: "must be a whole number from 0 to 100",
          body: "odd",
        },
      }),
    );
    render(<LeadForm onSubmit={onSubmit} onCancel={() => {}} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "nope");
    await user.click(screen.getByRole("button", { name: "Create lead" }));
    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("is not a valid email address");
    expect(screen.getByLabelText("Score (0-100)")).toHaveAccessibleDescription(
      "must be a whole number from 0 to 100",
    );
    expect(screen.getAllByRole("alert")[0]).toHaveTextContent("body: odd");
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ email: "nope", score: 0, status: "new" }),
    );
  });

  it("sends only what changed when editing, with null for a removed custom field", () => {
    const draft = {
      email: "ann@example.com",
      first_name: "Anna",
      last_name: "Lee",
      company: "",
      title: "",
      phone: "",
      website: "",
      country: "DE",
      timezone: "",
      status: "replied",
      score: "10",
      owner_id: "",
      tags: "vip, new",
      custom: [{ key: "industry", value: "retail" }],
    };
    expect(leadBody(draft, lead)).toEqual({
      first_name: "Anna",
      company: null,
      status: "replied",
      tags: ["vip", "new"],
      custom_fields: { industry: "retail", size: null },
    });
  });
});
