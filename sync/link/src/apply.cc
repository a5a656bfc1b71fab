#include "ooapi/sync/link/apply.h"

#include <algorithm>
#include <map>

namespace ooapi::sync {
namespace {

// "oe:CODE: text", how the lists of CheckedLinks and AcceptedLinks name an entry.
std::string Line(const std::string& item, const std::string& text) { return item + ": " + text; }

// Why an accepted entry cannot be linked as it stands ("" when it can).
std::string SkipReason(const PlanItem& item, const std::string& id) {
  if (item.cls == PlanClass::kEduDex && !item.include_edudex) {
    return "EDU-DEX item accepted without include_edudex";
  }
  if (item.decision == "accept" && item.cls == PlanClass::kAmbiguous) {
    return "ambiguous; choose with decision override + override_sis_id";
  }
  if (id.empty()) return item.decision + " without a SIS id";
  return "";
}

LedgerDecision Step(LedgerStep step) { return {step, false, ""}; }

LedgerDecision Held(bool busy, std::string why) {
  return {LedgerStep::kHeld, busy, std::move(why)};
}

bool IsVariant(const std::map<std::string, const Item*>& oe_items, const std::string& code) {
  auto oe = oe_items.find(code);
  const std::string* parent = oe == oe_items.end() ? nullptr : oe->second->Value("VARIANT_VAN");
  return parent != nullptr && !parent->empty();
}

}  // namespace

AcceptedLinks OrderAcceptedLinks(const Plan& plan, const Snapshot& snapshot) {
  std::map<std::string, const Item*> oe_items;
  for (const Item& item : snapshot.items) {
    if (item.kind == ItemKind::kOe) oe_items[item.code] = &item;
  }
  AcceptedLinks out;
  for (const PlanItem& item : plan.items) {
    if (item.kind != "oe" && item.kind != "ao") continue;
    if (item.decision != "accept" && item.decision != "override") continue;
    if (item.cls == PlanClass::kAlreadyLinked && item.decision == "accept") continue;
    const std::string where = item.kind + ":" + item.rio_code;
    const std::string id = item.decision == "override" ? item.override_sis_id : item.sis_id;
    if (std::string why = SkipReason(item, id); !why.empty()) {
      out.skipped.push_back(Line(where, why));
      continue;
    }
    PlannedLink link;
    link.item = where;
    link.op.action = SurfAction::kLink;
    link.op.rio_code = item.rio_code;
    link.op.id = id;
    link.include_edudex = item.include_edudex;
    if (item.kind == "oe") {
      link.op.type = "education-specifications";
      link.priority = IsVariant(oe_items, item.rio_code) ? 1 : 0;
    } else {
      link.op.type = item.sis_type == "course" ? "courses" : "programs";
      link.priority = 2;
    }
    out.links.push_back(std::move(link));
  }
  std::stable_sort(
      out.links.begin(), out.links.end(),
      [](const PlannedLink& x, const PlannedLink& y) { return x.priority < y.priority; });
  return out;
}

CheckedLinks CheckPlannedLinks(const std::vector<PlannedLink>& links, const LinkIndex& index,
                               bool force) {
  CheckedLinks out;
  for (const PlannedLink& link : links) {
    LinkCheckOptions options;
    options.force = force;
    options.include_edudex = link.include_edudex;
    const LinkCheck check = CheckLinkOp(link.op, &index, options);
    if (!check.status.ok()) {
      out.refused.push_back(Line(link.item, check.status.message()));
      continue;
    }
    for (const std::string& note : check.notes) out.notes.push_back(Line(link.item, note));
    PlannedLink valid = link;
    valid.key_lost = check.key_lost;
    out.valid.push_back(std::move(valid));
  }
  return out;
}

LedgerDecision DecideLedgerStep(const PlannedLink& link, const std::optional<LedgerJob>& latest,
                                const ApplyFlags& flags) {
  if (!latest) return Step(LedgerStep::kEnqueue);
  const bool same = latest->action == link.op.action && latest->sis_id == link.op.id;
  const std::string job = "job " + std::to_string(latest->id);
  if (same && latest->state == JobState::kDone) return Step(LedgerStep::kAlreadyDone);
  if (!same && latest->Active()) {
    return Held(true, link.op.rio_code + ": " + job + " (" +
                          std::string(SurfActionName(latest->action)) + ", " +
                          std::string(JobStateName(latest->state)) + ") is still active");
  }
  if (!same) return Step(LedgerStep::kEnqueue);
  if (latest->state == JobState::kInDoubt) {
    if (flags.resubmit_in_doubt) return Step(LedgerStep::kRequeue);
    return Held(false, job + ": " + DescribeJob(*latest));
  }
  if (latest->Active()) return Step(LedgerStep::kResume);
  if (!flags.retry_failed) {
    return Held(false, job + ": " + DescribeJob(*latest) + " (--retry-failed sends it again)");
  }
  return Step(LedgerStep::kEnqueue);
}

LedgerJob NewApplyJob(const PlannedLink& link, const std::string& actor) {
  LedgerJob job =
      NewJob(link.op.action, link.op.type, link.op.rio_code, link.op.id, JobSource::kApply, actor);
  job.key_lost = link.key_lost;
  job.priority = link.priority;
  return job;
}

}  // namespace ooapi::sync
