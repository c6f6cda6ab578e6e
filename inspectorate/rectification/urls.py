from django.urls import path

from . import public, views, views_forms, views_registers

app_name = "rectification"

urlpatterns = [
    path("", views.ledger_page, name="ledger"),
    path("import/", views.import_page, name="import"),
    path("tasks/new/", views_forms.task_form, name="task-new"),
    path("tasks/<uuid:pk>/", views.task_page, name="task"),
    path("tasks/<uuid:pk>/edit/", views_forms.task_form, name="task-edit"),
    path("tasks/<uuid:pk>/report/", views_forms.progress_form, name="task-report"),
    path("tasks/<uuid:pk>/<slug:name>/", views.task_action, name="task-action"),
    path("evidence/", views_registers.evidence_library, name="evidence-library"),
    path("evidence/<uuid:pk>/", views.evidence_file, name="evidence"),
    path("departments/", views_registers.departments_page, name="departments"),
    path("departments/new/", views_registers.department_form, name="department-new"),
    path("departments/<uuid:pk>/edit/", views_registers.department_form, name="department-edit"),
    path("departments/<uuid:pk>/end/", views_registers.department_end, name="department-end"),
    path("leaders/", views_registers.leaders_page, name="leaders"),
    path("leaders/new/", views_registers.leader_form, name="leader-new"),
    path("leaders/<uuid:pk>/edit/", views_registers.leader_form, name="leader-edit"),
    path("leaders/<uuid:pk>/end/", views_registers.leader_end, name="leader-end"),
    path("battle-map/", views.battle_map_page, name="battle-map"),
    path("dispatch/", views.dispatch_page, name="dispatch"),
    path("flags/", views.flags_page, name="flags"),
    path("flags/<uuid:pk>/review/", views.flag_review, name="flag-review"),
    path("plans/", views.plans_page, name="plans"),
    path("plans/new/", views_forms.plan_form, name="plan-new"),
    path("plans/<uuid:pk>/", views.plan_page, name="plan"),
    path("plans/<uuid:pk>/edit/", views_forms.plan_form, name="plan-edit"),
    path("feedback/new/", views_forms.feedback_new, name="feedback-new"),
    path("problems/new/", views_forms.problem_form, name="problem-new"),
    path("problems/<uuid:pk>/edit/", views_forms.problem_form, name="problem-edit"),
    path("cases/options/", views_forms.case_options, name="case-options"),
    path("plans/<uuid:pk>/transition/", views.plan_transition, name="plan-transition"),
    path("public/", public.public_index, name="public"),
    path("public/plans/<uuid:pk>/", public.public_plan, name="public-plan"),
    path("public/notices/<uuid:pk>/", public.public_notice, name="public-notice"),
]
