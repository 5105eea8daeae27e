from django.urls import path

from . import views

app_name = "governance"

base = "<slug:partnership>/governance"

urlpatterns = [
    path(f"{base}/", views.GovernanceHome.as_view(), name="home"),
    path(f"{base}/structure/", views.Structure.as_view(), name="structure"),
    path(f"{base}/groups/new/", views.GroupCreate.as_view(), name="group-create"),
    path(f"{base}/groups/<int:pk>/", views.GroupDetail.as_view(), name="group"),
    path(f"{base}/groups/<int:pk>/edit/", views.GroupUpdate.as_view(), name="group-update"),
    path(f"{base}/groups/<int:pk>/joint/", views.GroupJointRunning.as_view(), name="group-joint"),
    path(f"{base}/groups/<int:pk>/members/new/", views.MembershipAdd.as_view(), name="membership-add"),
    path(f"{base}/groups/<int:pk>/members/ours/", views.PartnerSeatAdd.as_view(), name="partner-seat-add"),
    path(f"{base}/memberships/<int:pk>/edit/", views.MembershipUpdate.as_view(), name="membership-update"),
    path(f"{base}/memberships/ending/", views.TermsEnding.as_view(), name="terms-ending"),
    path(f"{base}/meetings/", views.MeetingList.as_view(), name="meetings"),
    path(f"{base}/meetings/new/", views.MeetingCreate.as_view(), name="meeting-create"),
    path(f"{base}/meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting"),
    path(f"{base}/meetings/<int:pk>/edit/", views.MeetingUpdate.as_view(), name="meeting-update"),
    path(f"{base}/meetings/<int:pk>/attendance/", views.AttendanceRecord.as_view(), name="attendance-record"),
    path(f"{base}/meetings/<int:pk>/agenda/new/", views.AgendaItemAdd.as_view(), name="agenda-item-add"),
    path(f"{base}/meetings/<int:pk>/decisions/new/", views.DecisionAdd.as_view(), name="decision-add"),
    path(f"{base}/meetings/<int:pk>/papers/new/", views.PaperAdd.as_view(), name="paper-add"),
    path(f"{base}/meetings/<int:pk>/actions/new/", views.ActionRaise.as_view(), name="action-raise"),
    path(f"{base}/papers/<int:pk>/", views.PaperDownload.as_view(), name="paper"),
    path(f"{base}/attendance/", views.AttendanceReport.as_view(), name="attendance"),
    path(f"{base}/plans/", views.PlanList.as_view(), name="plans"),
    path(f"{base}/plans/new/", views.PlanCreate.as_view(), name="plan-create"),
    path(f"{base}/plans/<int:pk>/", views.PlanDetail.as_view(), name="plan"),
    path(f"{base}/plans/<int:pk>/priorities/new/", views.PriorityAdd.as_view(), name="priority-add"),
    path(f"{base}/plans/<int:pk>/golden-threads/new/", views.GoldenThreadAdd.as_view(), name="golden-thread-add"),
    path(f"{base}/budget/", views.Budget.as_view(), name="budget"),
    path(f"{base}/budget/contributions/new/", views.ContributionCreate.as_view(), name="contribution-create"),
    path(f"{base}/budget/income/new/", views.IncomeLineCreate.as_view(), name="income-create"),
    path(f"{base}/sharing-agreements/", views.AgreementList.as_view(), name="agreements"),
    path(f"{base}/sharing-agreements/new/", views.AgreementCreate.as_view(), name="agreement-create"),
    path(f"{base}/sharing-agreements/<int:pk>/", views.AgreementDetail.as_view(), name="agreement"),
    path(f"{base}/sharing-agreements/<int:pk>/edit/", views.AgreementUpdate.as_view(), name="agreement-update"),
    path(f"{base}/region/", views.RegionComparison.as_view(), name="region"),
    path(f"{base}/region/download/", views.RegionDownload.as_view(), name="region-download"),
    path(f"{base}/region/sharing/", views.RegionSharing.as_view(), name="region-sharing"),
    path(f"{base}/region/compute/", views.RegionCompute.as_view(), name="region-compute"),
    path(f"{base}/sharing-agreements/<int:pk>/signatories/new/", views.SignatoryAdd.as_view(), name="signatory-add"),
]
