#!/bin/sh
# The systemd timers (deploy/systemd/*.timer) for a container site: one `timers`
# container runs this loop (compose.yaml). Every 5 minutes recover_tasks; once a day,
# at the hour (Japan time) of its timer, each daily command; weekly ones on their day. Run ONE such container.
set -u
last_day() { cat "/tmp/done-$1" 2>/dev/null || true; }
daily() {  # name, hour (JST, two digits)
  today=$(TZ=Asia/Tokyo date +%F)
  if [ "$(TZ=Asia/Tokyo date +%H)" = "$2" ] && [ "$(last_day "$1")" != "$today" ]; then
    python manage.py "$1" && echo "$today" > "/tmp/done-$1"
  fi
}
weekly() {  # name, day of the week (1 = Monday), hour (JST)
  if [ "$(TZ=Asia/Tokyo date +%u)" = "$2" ]; then daily "$1" "$3"; fi
}
while true; do
  python manage.py recover_tasks -v0
  daily refresh_suggestions 03
  daily prune_task_results 04
  daily remind_unverified 09
  daily send_course_reminders 10
  daily purge_supporter_data 04
  weekly send_supporter_opportunities 1 10
  daily send_group_digests 07
  daily send_meeting_reminders 10
  weekly send_action_item_digest 1 09
  sleep 300
done
