from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def today(request):
    return render(request, "reminders/today.html", {})
