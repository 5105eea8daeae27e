from django.urls import path

from . import views

app_name = "training"

T = "<slug:partnership>/training"

urlpatterns = [
    path(f"{T}/", views.TrainingHome.as_view(), name="home"),
    path(f"{T}/analysis/", views.Analysis.as_view(), name="analysis"),
    path(f"{T}/analysis/<str:block>.csv", views.BlockExport.as_view(), name="analysis-export"),
    path(f"{T}/courses/", views.CourseList.as_view(), name="courses"),
    path(f"{T}/courses/new/", views.CourseCreate.as_view(), name="course-create"),
    path(f"{T}/courses/<int:pk>/", views.CourseDetail.as_view(), name="course"),
    path(f"{T}/courses/<int:pk>/edit/", views.CourseUpdate.as_view(), name="course-update"),
    path(f"{T}/events/", views.EventList.as_view(), name="events"),
    path(f"{T}/events/new/", views.EventCreate.as_view(), name="event-create"),
    path(f"{T}/events/<int:pk>/", views.EventDetail.as_view(), name="event"),
    path(f"{T}/bookings/<int:pk>/attendance/", views.MarkAttendance.as_view(), name="attendance"),
    path(f"{T}/completions/", views.CompletionList.as_view(), name="completions"),
    path(f"{T}/completions/export.csv", views.CompletionExport.as_view(), name="completions-export"),
    path(f"{T}/imports/", views.ImportList.as_view(), name="imports"),
    path(f"{T}/imports/new/", views.ImportCreate.as_view(), name="import-create"),
    path(f"{T}/imports/<int:pk>/", views.ImportDetail.as_view(), name="import"),
    path(f"{T}/imports/<int:pk>/progress/", views.ImportProgress.as_view(), name="import-progress"),
    path(f"{T}/imports/<int:pk>/import/", views.ImportConfirm.as_view(), name="import-confirm"),
    path(f"{T}/imports/<int:pk>/check-again/", views.ImportCheckAgain.as_view(), name="import-check-again"),
    path(f"{T}/imports/<int:pk>/file/", views.ImportFile.as_view(), name="import-file"),
    path(f"{T}/organisations/", views.AliasList.as_view(), name="aliases"),
    path(f"{T}/organisations/new/", views.AliasCreate.as_view(), name="alias-create"),
    path(f"{T}/organisations/<int:pk>/edit/", views.AliasUpdate.as_view(), name="alias-update"),
    path(f"{T}/policy/", views.PolicyUpdate.as_view(), name="policy"),
    path(f"{T}/observations/", views.ObservationList.as_view(), name="observations"),
    path(f"{T}/observations/new/", views.ObservationCreate.as_view(), name="observation-create"),
    # Public: no account needed.
    path(f"{T}/calendar/", views.Calendar.as_view(), name="calendar"),
    path(f"{T}/calendar/<int:pk>/book/", views.BookEvent.as_view(), name="book"),
    path(f"{T}/calendar/booking-links/", views.BookingLinks.as_view(), name="booking-links"),
    path(f"{T}/booking/<str:booking_code>/", views.ManageBooking.as_view(), name="booking"),
    path(f"{T}/booking/<str:booking_code>/confirmed/", views.BookingConfirmed.as_view(), name="booking-confirmed"),
    path(f"{T}/booking/<str:booking_code>/evaluate/", views.Evaluate.as_view(), name="evaluate"),
    path(f"{T}/impact/<str:follow_up_code>/", views.FollowUpAnswer.as_view(), name="impact"),
]
