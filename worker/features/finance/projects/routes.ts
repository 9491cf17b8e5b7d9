import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { createProjectBody, listProjectsQuery, projectListView, projectParam, projectView, putRateBody, rateListView, rateParam, rateView, updateProjectBody } from "./schemas";
import { createProject, deleteRate, listProjects, listRates, putRate, updateProject } from "./service";

const tags = ["finance: projects and rates"];

export const projectRoutes = new Hono<AppEnv>()
  .get("/projects", doc({ summary: "Projects of the organization's clients", tags, response: projectListView }), validate("query", listProjectsQuery), async (c) =>
    c.json({ projects: await listProjects({ ctx: ctxOf(c), input: c.req.valid("query") }) }),
  )
  .post("/projects", doc({ summary: "Create a project for a client workspace", tags, status: 201, response: projectView, activity: { action: "finance.project.create" } }), validate("json", createProjectBody), async (c) =>
    c.json(await createProject({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .patch("/projects/:projectId", doc({ summary: "Rename or archive a project", tags, response: projectView, activity: { action: "finance.project.update", target: targetParam("project", "projectId") } }), validate("param", projectParam), validate("json", updateProjectBody), async (c) =>
    c.json(await updateProject({ ctx: ctxOf(c), input: { ...c.req.valid("json"), projectId: c.req.valid("param").projectId } })),
  )
  .get("/rates", doc({ summary: "Every rate of the cascade (organization, clients, projects, people)", tags, response: rateListView }), async (c) => c.json({ rates: await listRates({ ctx: ctxOf(c) }) }))
  .put("/rates", doc({ summary: "Set one level's hourly (and cost) rate (owners and admins)", tags, response: rateView, activity: { action: "finance.rate.set" } }), validate("json", putRateBody), async (c) =>
    c.json(await putRate({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .delete("/rates/:rateId", doc({ summary: "Remove a rate (the next level applies)", tags, status: 204, activity: { action: "finance.rate.delete", target: targetParam("rate", "rateId") } }), validate("param", rateParam), async (c) => {
    await deleteRate({ ctx: ctxOf(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });
