from django.urls import path

from . import views

app_name = "assurance"

P = "<slug:partnership>/assurance"

urlpatterns = [
    path(f"{P}/", views.Home.as_view(), name="home"),
    # Organisational safeguarding (section 11) self-assessment.
    path(f"{P}/tools/", views.FrameworkList.as_view(), name="frameworks"),
    path(f"{P}/tools/new/", views.FrameworkCreate.as_view(), name="framework-create"),
    path(f"{P}/tools/<int:pk>/", views.FrameworkDetail.as_view(), name="framework"),
    path(f"{P}/tools/<int:pk>/edit/", views.FrameworkUpdate.as_view(), name="framework-update"),
    path(f"{P}/tools/<int:pk>/mapping/", views.FrameworkMapping.as_view(), name="framework-mapping"),
    path(f"{P}/tools/<int:pk>/sections/new/", views.SectionCreate.as_view(), name="section-create"),
    path(f"{P}/sections/<int:pk>/questions/new/", views.QuestionCreate.as_view(), name="question-create"),
    path(f"{P}/questions/<int:pk>/edit/", views.QuestionUpdate.as_view(), name="question-update"),
    path(f"{P}/self-assessment/", views.RoundList.as_view(), name="rounds"),
    path(f"{P}/self-assessment/new/", views.RoundCreate.as_view(), name="round-create"),
    path(f"{P}/self-assessment/<int:pk>/", views.RoundDetail.as_view(), name="round"),
    path(f"{P}/self-assessment/<int:pk>/invite/", views.RoundInvite.as_view(), name="round-invite"),
    path(f"{P}/self-assessment/<int:pk>/sessions/new/", views.RoundSessionCreate.as_view(), name="session-create"),
    path(f"{P}/self-assessment/<int:pk>/actions/new/", views.RoundActionRaise.as_view(), name="round-action"),
    path(f"{P}/sessions/<int:pk>/edit/", views.SessionUpdate.as_view(), name="session-update"),
    path(f"{P}/returns/<int:pk>/", views.ReturnDetail.as_view(), name="return"),
    path(f"{P}/returns/<int:pk>/sections/<int:section_number>/", views.ReturnSection.as_view(), name="return-section"),
    path(f"{P}/returns/<int:pk>/check/", views.ReturnCheck.as_view(), name="return-check"),
    path(f"{P}/returns/answers/<int:pk>/file/", views.AnswerFile.as_view(), name="answer-file"),
    path(f"{P}/returns/<int:pk>/submit/", views.ReturnSubmit.as_view(), name="return-submit"),
    path(f"{P}/returns/<int:pk>/reopen/", views.ReturnReopen.as_view(), name="return-reopen"),
    path(f"{P}/returns/<int:pk>/actions/new/", views.ReturnActionRaise.as_view(), name="return-action"),
    path(f"{P}/returns/<int:pk>/share/", views.ReturnShareCreate.as_view(), name="return-share"),
    path(f"{P}/shares/<int:pk>/withdraw/", views.ReturnShareWithdraw.as_view(), name="share-withdraw"),
    # Use of restraint.
    path(f"{P}/restraint/", views.Restraint.as_view(), name="restraint"),
    path(f"{P}/restraint/new/", views.IncidentCreate.as_view(), name="incident-create"),
    path(f"{P}/restraint/import/", views.IncidentImport.as_view(), name="incident-import"),
    path(f"{P}/restraint/<int:pk>/", views.IncidentDetail.as_view(), name="incident"),
    path(f"{P}/restraint/<int:pk>/edit/", views.IncidentUpdate.as_view(), name="incident-update"),
    path(f"{P}/restraint/<int:pk>/reviews/new/", views.ReviewCreate.as_view(), name="review-create"),
    path(f"{P}/restraint/samples/new/", views.SampleCreate.as_view(), name="sample-create"),
    path(f"{P}/restraint/samples/<int:pk>/", views.SampleDetail.as_view(), name="sample"),
    path(f"{P}/restraint/visits/new/", views.SiteVisitCreate.as_view(), name="visit-create"),
    # Multi-agency meeting assurance week.
    path(f"{P}/assurance-weeks/", views.WeekList.as_view(), name="weeks"),
    path(f"{P}/assurance-weeks/new/", views.WeekCreate.as_view(), name="week-create"),
    path(f"{P}/assurance-weeks/<int:pk>/", views.WeekDetail.as_view(), name="week"),
    path(f"{P}/assurance-weeks/<int:pk>/edit/", views.WeekUpdate.as_view(), name="week-update"),
    path(f"{P}/assurance-weeks/<int:pk>/meetings/new/", views.MeetingCreate.as_view(), name="meeting-create"),
    path(f"{P}/assurance-weeks/<int:pk>/actions/new/", views.WeekActionRaise.as_view(), name="week-action"),
    path(f"{P}/meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting"),
    path(f"{P}/meetings/<int:pk>/edit/", views.MeetingUpdate.as_view(), name="meeting-update"),
    # Audits and deep dives, JTAI, the scrutineer's plan, presentations to the executive.
    path(f"{P}/scrutiny/", views.Scrutiny.as_view(), name="scrutiny"),
    path(f"{P}/audits/new/", views.AuditCreate.as_view(), name="audit-create"),
    path(f"{P}/audits/<int:pk>/", views.AuditDetail.as_view(), name="audit"),
    path(f"{P}/audits/<int:pk>/edit/", views.AuditUpdate.as_view(), name="audit-update"),
    path(f"{P}/audits/<int:pk>/actions/new/", views.AuditActionRaise.as_view(), name="audit-action"),
    path(f"{P}/jtai/new/", views.JtaiCreate.as_view(), name="jtai-create"),
    path(f"{P}/jtai/<int:pk>/", views.JtaiDetail.as_view(), name="jtai"),
    path(f"{P}/jtai/<int:pk>/edit/", views.JtaiUpdate.as_view(), name="jtai-update"),
    path(f"{P}/jtai/<int:pk>/evaluate/", views.JtaiEvaluate.as_view(), name="jtai-evaluate"),
    path(f"{P}/scrutiny/activities/new/", views.ActivityCreate.as_view(), name="activity-create"),
    path(f"{P}/scrutiny/activities/<int:pk>/edit/", views.ActivityUpdate.as_view(), name="activity-update"),
    path(f"{P}/scrutiny/presentations/new/", views.PresentationCreate.as_view(), name="presentation-create"),
    path(f"{P}/scrutiny/presentations/<int:pk>/edit/", views.PresentationUpdate.as_view(), name="presentation-update"),
]
