/*
 * The synthetic city behind `huiqi demo-data`; democity.h says what it promises.
 *
 * Layout of this file: the facts the generator may write (an X-macro, checked against the
 * corpus before anything is written), random streams, the output files, the setters that
 * validate each value as it is written, names and credit codes, then one function per
 * archetype and the driver. Each archetype function reads like a list of the policy items
 * it feeds: a comment names the item (12-7-12 …) and the values are drawn around the
 * item's thresholds, so that a city of a few thousand entities has awards under every
 * document and also near misses. The rates (‰) are chosen for a lively demo, not
 * calibrated against Wenzhou's statistics.
 *
 * Money is int64 分 throughout (YUAN, WAN, YI below); spreads are integer arithmetic only.
 */
#include "gen/democity.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/uscc.h"

/* ---- limits ------------------------------------------------------------------------------ */

enum {
    DC_VAL = 48,            /* one formatted value, the longest enum value included */
    DC_MAX_COLUMNS = 250,   /* fact columns per file: the CSV reader accepts 256 in all */
    DC_NAME = 192,          /* an entity name in UTF-8 */
    DC_PATH = 4096,
    DC_CACHE = 2048,        /* literal → corpus lookups (a power of two) */
};
#define DC_OUTBUF ((size_t)1 << 20)

#define YUAN(n) ((int64_t)(n) * 100)
#define WAN(n) ((int64_t)(n) * 1000000)
#define YI(n) ((int64_t)(n) * 10000000000)

/* ---- the facts the generator writes -------------------------------------------------------
 * X(name, type, yearly). The column order of every file follows this list; identity first. */

enum { DT_BOOL, DT_COUNT, DT_MONEY, DT_RATE, DT_DATE, DT_ENUM };

#define DC_FACTS(X) \
    X(district, ENUM, 0) X(registered, DATE, 0) X(entity_type, ENUM, 0) X(industry, ENUM, 0) \
    X(independent_legal_person, BOOL, 0) X(partnership, BOOL, 0) X(fiscal_revenue_in_city, BOOL, 0) \
    X(fiscal_revenue_in_prefecture, BOOL, 0) X(trading_company, BOOL, 0) X(registration_moved, BOOL, 0) \
    X(illegal_land_use, BOOL, 0) X(in_kechuang_corridor, BOOL, 0) X(service_sector, BOOL, 0) \
    X(foreign_invested, BOOL, 0) X(mujun_rating, ENUM, 0) \
    DC_FACTS_OF_ITEMS(X)

/* The facts the archetype programmes write for the items, in the order policies/facts.hq
 * declares them. */
#define DC_FACTS_OF_ITEMS(X) \
    X(major_accident, BOOL, 1) X(local_contribution, MONEY, 1) X(fin_opened, DATE, 0) X(fin_is_hq, BOOL, 0) \
    X(fin_is_first_branch, BOOL, 0) X(paid_in_capital, MONEY, 0) X(fin_exec_contribution, MONEY, 1) \
    X(gov_fund_partner, BOOL, 0) X(gov_fund_partner_since, DATE, 0) X(office_rent, MONEY, 1) \
    X(wz_home_park_entered, DATE, 0) X(forum_certified, BOOL, 1) X(forum_expense, MONEY, 1) \
    X(fund_registered, BOOL, 0) X(fund_exit_contribution, MONEY, 1) X(fund_talents, COUNT, 1) \
    X(fund_talent_contribution, MONEY, 1) X(kc_fund_exit_contribution, MONEY, 1) \
    X(design_production_started, DATE, 0) X(design_project_contribution, MONEY, 1) \
    X(design_public_service, MONEY, 1) X(fashion_platform_certified, BOOL, 1) \
    X(fashion_platform_investment, MONEY, 1) X(perf_certified, BOOL, 1) X(perf_certified_on, DATE, 0) X(perf_shows, COUNT, 1) \
    X(perf_min_minutes, COUNT, 1) X(perf_min_ticket, MONEY, 1) X(travel_overnight, COUNT, 1) \
    X(travel_inbound, COUNT, 1) X(travel_study_tour, COUNT, 1) X(travel_send_volume, COUNT, 1) \
    X(travel_send_rank, COUNT, 1) X(travel_inbound_volume, COUNT, 1) X(travel_inbound_rank, COUNT, 1) \
    X(prof_service_certified, BOOL, 0) X(prof_service_established, DATE, 0) X(intl_testing_mutual, BOOL, 0) \
    X(intl_testing_new_revenue, MONEY, 1) X(intl_testing_new_foreign, MONEY, 1) X(ip_cluster_excellent, BOOL, 1) \
    X(park_entered, DATE, 0) X(park_rent_price, MONEY, 1) X(park_rent_area, COUNT, 1) X(park_staff, COUNT, 1) \
    X(park_rent_months, COUNT, 1) X(spinoff_from_manufacturer, BOOL, 0) X(spinoff_established, DATE, 0) \
    X(spinoff_transfer_contribution, MONEY, 1) X(above_scale_since, DATE, 0) X(above_scale, BOOL, 1) \
    X(newretail_stores, COUNT, 1) X(online_sales, MONEY, 1) X(expo_in_city, BOOL, 1) X(expo_days, COUNT, 1) \
    X(expo_area, COUNT, 1) X(expo_foreign_share, RATE, 1) X(logistics_it_certified, BOOL, 1) X(logistics_it_certified_on, DATE, 0) \
    X(logistics_it_investment, MONEY, 1) X(logistics_it_software, MONEY, 1) X(logistics_equipment, MONEY, 1) \
    X(logistics_major_listed, BOOL, 1) X(logistics_major_listed_on, DATE, 0) X(logistics_major_total, MONEY, 0) X(logistics_major_done, MONEY, 1) \
    X(ecplat_branch_certified, BOOL, 1) X(ecplat_branch_area, COUNT, 1) X(ecplat_branch_rent, MONEY, 1) \
    X(b2c_sales, MONEY, 1) X(b2b_sales, MONEY, 1) X(ec_demo_base, BOOL, 1) X(ec_platform_listed, BOOL, 1) \
    X(platform_b2c_gmv, MONEY, 1) X(platform_b2b_gmv, MONEY, 1) X(retail_sales, MONEY, 1) \
    X(above_quota_trade, BOOL, 1) X(state_owned_investment, BOOL, 0) X(parking_certified, BOOL, 1) \
    X(parking_spaces_lift, COUNT, 1) X(parking_spaces_above, COUNT, 1) X(parking_spaces_under, COUNT, 1) \
    X(culture_enterprise_since, DATE, 0) X(culture_loan, MONEY, 1) X(lpr, RATE, 1) \
    X(park_single_operator, BOOL, 0) X(culture_fair_joined, BOOL, 1) X(culture_fair_cost, MONEY, 1) \
    X(tv_premiere_episodes, COUNT, 1) X(film_box_office, MONEY, 1) X(film_project_certified_on, DATE, 0) \
    X(film_fixed_investment, MONEY, 1) X(film_self_held, MONEY, 1) X(music_event_certified, BOOL, 1) \
    X(music_box_office, MONEY, 1) X(museum_built, BOOL, 0) X(museum_rented, BOOL, 0) X(museum_opened, DATE, 0) \
    X(museum_area, COUNT, 0) X(museum_free_all_year, BOOL, 1) X(sports_school_nonprofit, BOOL, 0) \
    X(sports_school_loan, MONEY, 1) X(reserve_base_type, ENUM, 0) X(reserve_base_level, ENUM, 0) \
    X(reserve_base_since, DATE, 0) X(sports_org_grade, ENUM, 0) X(sports_org_top10, BOOL, 1) \
    X(sports_demo_since, DATE, 0) X(eldercare_town_investment, MONEY, 1) X(eldercare_park_investment, MONEY, 1) \
    X(home_care_stars, ENUM, 0) X(meal_point_months, COUNT, 1) X(meal_point_daily, COUNT, 1) \
    X(gov_purchase_clients, COUNT, 1) X(eldercare_private, BOOL, 0) \
    X(eldercare_public_built_private_run, BOOL, 0) X(eldercare_new_investment, MONEY, 1) \
    X(eldercare_new_beds, COUNT, 1) X(beds_owned_new, COUNT, 1) X(beds_owned_nursing, COUNT, 1) \
    X(beds_leased_new, COUNT, 1) X(beds_leased_nursing, COUNT, 1) X(nursing_home_licensed, BOOL, 1) \
    X(clinic_licensed, BOOL, 1) X(global500, BOOL, 0) X(unicorn, BOOL, 0) X(fdi_project_sector, BOOL, 0) \
    X(fdi_project_investment, MONEY, 0) X(fdi_project_usd, COUNT, 0) X(fdi_production_start, DATE, 0) \
    X(fdi_project_contribution, MONEY, 1) X(fdi_first2y_usd, COUNT, 0) X(talent_band1, MONEY, 1) \
    X(talent_band2, MONEY, 1) X(talent_band3, MONEY, 1) X(fdi_new_project, BOOL, 1) X(fdi_total_usd, COUNT, 0) \
    X(fdi_year_usd, COUNT, 1) X(fdi_holding_company, BOOL, 0) X(gov_fdi_qualifying_usd, COUNT, 1) \
    X(gov_global500_count, COUNT, 1) X(overseas_zone_share, RATE, 0) X(overseas_zone_belt_road, BOOL, 0) \
    X(ma_amount, MONEY, 1) X(ma_control, BOOL, 1) X(ma_date, DATE, 0) X(ma_service_fees, MONEY, 1) \
    X(ma_loan_interest, MONEY, 1) X(mnc_key_cultivation, BOOL, 1) X(revenue, MONEY, 1) X(mnc_pool, BOOL, 1) \
    X(mnc_consolidation_fees, MONEY, 1) X(overseas_rd_new, BOOL, 1) X(overseas_rd_usd, COUNT, 1) \
    X(expo_self_new_fee, MONEY, 1) X(expo_self_old_fee, MONEY, 1) X(expo_key_booths, COUNT, 1) \
    X(expo_key_fee_per_booth, MONEY, 1) X(expo_key_abroad, BOOL, 1) X(expo_key_belt_road, BOOL, 1) \
    X(expo_key_asia, BOOL, 1) X(expo_freight, MONEY, 1) X(expo_general_booths, COUNT, 1) \
    X(expo_general_fee_per_booth, MONEY, 1) X(expo_general_belt_road, BOOL, 1) X(warehouse_belt_road, BOOL, 0) \
    X(cbec_logistics, BOOL, 0) X(intl_logistics_fee, MONEY, 1) X(trademark_intl_fee, MONEY, 1) \
    X(intl_cert_new, BOOL, 1) X(intl_cert_fee, MONEY, 1) X(import_market_certified, BOOL, 1) \
    X(import_market_total, MONEY, 1) X(import_leader_sales, MONEY, 1) X(import_national_agent, BOOL, 1) \
    X(port_import_usd, COUNT, 1) X(port_big_boxes, COUNT, 1) X(port_small_boxes, COUNT, 1) \
    X(port_cold_big_boxes, COUNT, 1) X(port_cold_small_boxes, COUNT, 1) X(port_air_kg_asia, COUNT, 1) \
    X(port_air_kg_other, COUNT, 1) X(outsourcing_registered, BOOL, 0) X(offshore_outsourcing_usd, COUNT, 1) \
    X(culture_export_since, DATE, 0) X(credit_insurance_premium, MONEY, 1) \
    X(credit_insurance_us_premium, MONEY, 1) X(export_usd, COUNT, 1) X(joint_insurance_premium, MONEY, 1) \
    X(trade_remedy_lawyer_fee, MONEY, 1) X(rd_deductible, MONEY, 1) X(innovation_carrier_certified, BOOL, 0) \
    X(innovation_carrier_service, MONEY, 1) X(key_institute_prov_grant, MONEY, 0) \
    X(joint_institute_operator, BOOL, 0) X(joint_institute_assessment, ENUM, 1) X(rd_institution, BOOL, 0) \
    X(commissioned_rd_paid, MONEY, 1) X(city_lab_since, DATE, 0) X(city_lab_grant, MONEY, 0) \
    X(city_lab_progress, RATE, 1) X(complex_listed_since, DATE, 0) X(complex_assessment, ENUM, 1) \
    X(city_innovation_carrier, BOOL, 0) X(carrier_voucher_redeemed, MONEY, 1) X(mwp_floor_area, COUNT, 1) \
    X(mwp_tax, MONEY, 1) X(mwp_contribution, MONEY, 1) X(mwp_serviced, BOOL, 1) X(mwp_reward_since, DATE, 0) \
    X(iip_contract, MONEY, 1) X(tax_paid, MONEY, 1) X(platform_3_12, BOOL, 0) \
    X(platform_sei_value_added, MONEY, 1) X(sei_project, BOOL, 0) X(sei_land_quota, COUNT, 0) \
    X(sei_fixed_investment, MONEY, 1) X(sei_fixed_investment_years_paid, COUNT, 1) X(sei_project_date, DATE, 0) \
    X(sei_above_scale_since, DATE, 0) X(sei_in_database, BOOL, 1) X(sei_upgrade_pool, BOOL, 1) \
    X(sei_output, MONEY, 1) X(sei_output_prior_max, MONEY, 1) X(cmmi_fee, MONEY, 1) X(it_cert_first, BOOL, 1) \
    X(it_cert_fee, MONEY, 1) X(first_version_software_new, COUNT, 1) X(tech_investment, MONEY, 1) \
    X(green_retrofit, BOOL, 1) X(smart_mfg_investment, MONEY, 0) X(in_micro_park, BOOL, 1) \
    X(micro_park_equipment, MONEY, 1) X(std_intl_initiated, COUNT, 1) X(std_intl_published, COUNT, 1) \
    X(std_national_initiated, COUNT, 1) X(std_national_published, COUNT, 1) X(std_zjzz_initiated, COUNT, 1) \
    X(std_zjzz_published, COUNT, 1) X(std_industry_initiated, COUNT, 1) X(std_industry_published, COUNT, 1) \
    X(patent_ind_projects_completed, COUNT, 1) X(patent_navigation_projects, COUNT, 1) X(pct_grants, COUNT, 1) \
    X(ip_mediation_platform, BOOL, 0) X(ip_mediation_cases, COUNT, 1) X(ip_arbitration_court, BOOL, 0) \
    X(ip_arbitration_cases, COUNT, 1) X(ip_training_base, BOOL, 0) X(ip_training_base_assessment, ENUM, 1) \
    X(invention_patents_granted, COUNT, 1) X(green_product_certs, COUNT, 1) X(green_product_certs_new, COUNT, 1) \
    X(green_std_national, COUNT, 1) X(green_std_industry, COUNT, 1) X(tax_local_share, RATE, 1) \
    X(budget_growth, RATE, 1) X(digital_core_industry, BOOL, 0) X(wz_home_category, ENUM, 0) \
    X(wz_home_zone, ENUM, 0) X(wz_home_rent, MONEY, 1) X(wz_home_execs, COUNT, 1) \
    X(wz_home_exec_contribution, MONEY, 1) X(wz_fund_profit_since, DATE, 0) X(gazelle_since, DATE, 0) \
    X(vc_investment_3y, MONEY, 0) X(vc_confirmed, DATE, 0) X(vc_base_contribution, MONEY, 0) \
    X(vc_rent_price, MONEY, 1) X(vc_rent_area, COUNT, 1) X(vc_rent_months, COUNT, 1) X(hitech_since, DATE, 0) \
    X(new_project_production_start, DATE, 0) X(relocated_in, DATE, 0) X(incubator_kc_main_industry, BOOL, 0) \
    X(incubator_operator, BOOL, 0) X(incubatee_new_hitech, COUNT, 1) X(incubatee_new_hitech_kc, COUNT, 1) \
    X(incubatee_new_tsme, COUNT, 1) X(listed, BOOL, 0) X(listed_date, DATE, 0) X(city_tax_growth, RATE, 1) \
    X(red_chip, BOOL, 0) X(ipo_candidate_since, DATE, 0) X(ipo_four_cases_contribution, MONEY, 1) \
    X(ipo_proceeds, MONEY, 0) X(ipo_proceeds_in_wz, MONEY, 0) X(star_market, BOOL, 0) X(refinancing, MONEY, 1) \
    X(refinancing_in_wz, MONEY, 1) X(major_restructuring, BOOL, 1) X(neeq_listed, DATE, 0) \
    X(dma_amount, MONEY, 0) X(dma_control, BOOL, 0) X(dma_date, DATE, 0) X(dma_service_fees, MONEY, 1) \
    X(dma_loan_interest, MONEY, 1) X(ipo_rejected, BOOL, 1) X(ipo_service_fees, MONEY, 0) \
    X(shareholding_reform, BOOL, 1) X(ipo_key_tutoring, BOOL, 0) X(vc_transfer_contribution, MONEY, 1) \
    X(ipo_restructuring_contribution, MONEY, 1) X(mil_tech_contract, MONEY, 1) \
    X(mil_tech_industrialized, BOOL, 1) X(tech_insurance_premium, MONEY, 1) X(kc_main_industry, BOOL, 0) \
    X(tech_loan, MONEY, 1) X(talent_training, BOOL, 1) X(hitech_talent_contribution, MONEY, 1) \
    X(city_level_entity, BOOL, 0) X(oyxf_base_task, BOOL, 1) X(oyxf_base_local_subsidy, MONEY, 1) \
    X(oyxf_outlet_type, ENUM, 0) X(oyxf_outlet_opened, DATE, 0) X(oyxf_outlet_area, COUNT, 0) \
    X(oyxf_outlet_operating, BOOL, 1) X(supply_coop_body, BOOL, 0) X(supply_coop_business, BOOL, 0) \
    X(supply_project_type, ENUM, 0) X(supply_project_investment, MONEY, 1) X(supply_project_completed, DATE, 0) \
    X(supply_project_provincial_model, BOOL, 1) X(agri_guarantee_company, BOOL, 0) \
    X(agri_guarantee_volume, MONEY, 1) X(nonghelian, BOOL, 0) X(nonghelian_asset_company, BOOL, 0) \
    X(nonghelian_project_investment, MONEY, 1) X(nonghelian_project_completed, DATE, 0) X(nonghelian_training_cost, MONEY, 1) \
    X(agri_institute_prov_subsidy, MONEY, 0) X(green_food_since, DATE, 0) X(sales_output, MONEY, 1) \
    X(sales_output_prior_max, MONEY, 1) X(grain_enterprise, BOOL, 0) X(grain_newbiz_investment, MONEY, 1) X(grain_newbiz_completed, DATE, 0) \
    X(grain_oil_backbone, BOOL, 0) X(grain_emergency_system, BOOL, 1) X(grain_newline_equipment, MONEY, 1) \
    X(grain_newline_capacity, COUNT, 1) X(grain_upgrade_equipment, MONEY, 1) \
    X(grain_upgrade_capacity_gain, COUNT, 1) X(grain_lowtemp_area, COUNT, 1) X(grain_required_stock, COUNT, 0) \
    X(grain_bigdata_subject, BOOL, 0) X(grain_bigdata_new_terminals, COUNT, 1) X(fxly_center_since, DATE, 0) \
    X(fxly_center_investment, MONEY, 1) X(fxly_new_outlets, COUNT, 1) X(hog_output, COUNT, 1) \
    X(hog_farms_10k_done, COUNT, 1) X(hog_farms_50k_done, COUNT, 1) X(breeding_pigs_imported, COUNT, 1) \
    X(breeding_farms_new, COUNT, 1) X(gov_hog_policy_funds, MONEY, 1) X(aqua_processing_base, BOOL, 1) \
    X(aqua_processing_base_investment, MONEY, 1) X(eco_aqua_zone, BOOL, 1) X(eco_aqua_zone_investment, MONEY, 1) \
    X(rural_water_project_completed, BOOL, 1) X(rural_water_investment_mountain, MONEY, 1) \
    X(rural_water_investment_plain, MONEY, 1) X(land_in_provincial_plan, BOOL, 0) X(land_plan_approved, BOOL, 1) X(land_plan_listed, DATE, 0) \
    X(land_accepted, BOOL, 1) X(land_reclaimed_area, COUNT, 1) X(land_new_farmland, COUNT, 1) \
    X(land_whole_town, BOOL, 1) X(land_business_types, COUNT, 1) X(water_sections_improved, COUNT, 1) \
    X(water_sections_improved_shared2, COUNT, 1) X(water_sections_improved_shared3, COUNT, 1) \
    X(soil_waste_assessment, ENUM, 1) X(seven_industries_assessment, ENUM, 1) \
    X(emission_buyback_approved, MONEY, 1) X(river_lake_accepted, BOOL, 1) X(river_lake_investment, MONEY, 1) \
    X(eco_water_diverted, COUNT, 1) X(tangriver_project, BOOL, 1) X(tangriver_investment, MONEY, 1) \
    X(public_forest_area, COUNT, 1) X(recycling_point_qualified, BOOL, 1) \
    X(recycling_point_investment, MONEY, 1) X(supply_coop_system, BOOL, 0) X(sorting_center_new, BOOL, 1) \
    X(sorting_center_investment, MONEY, 1) X(recycling_platform_project, BOOL, 1) \
    X(recycling_platform_investment, MONEY, 1) X(quality998_pilot_since, DATE, 0) \
    X(quality998_task_done, BOOL, 1) X(water_mgmt_marketized, BOOL, 1) X(water_mgmt_contract, MONEY, 1) \
    X(small_reservoirs_passed, COUNT, 1) X(water_insurance_premium, MONEY, 1)

typedef enum {
#define X(n, t, y) F_##n,
    DC_FACTS(X)
#undef X
    DC_NFACTS
} dc_fact;

static const struct {
    const char *name;
    int type;
    bool yearly;
} FACTS[DC_NFACTS] = {
#define X(n, t, y) {#n, DT_##t, y},
    DC_FACTS(X)
#undef X
};

/* ---- random streams: xoshiro256** seeded by splitmix64 ------------------------------------- */

typedef struct {
    uint64_t s[4];
} dc_rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(dc_rng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* The stream of entity `index`: independent of how many entities are generated. */
static void rng_seed(dc_rng *r, uint64_t seed, uint64_t index)
{
    uint64_t x = seed * 0xD1342543DE82EF95ull ^ index * 0x9E3779B97F4A7C15ull ^ 0x5DEECE66Dull;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

/* ---- output files ----------------------------------------------------------------------- */

static const struct {
    const char *file, *kind;
} FILES[DEMOCITY__FILES] = {
    [DEMOCITY_ENTITIES] = {"entities.csv", "entities"}, [DEMOCITY_TAX] = {"tax.csv", "tax"},
    [DEMOCITY_STATS] = {"stats.csv", "stats"}, [DEMOCITY_PROJECTS] = {"projects.csv", "projects"},
    [DEMOCITY_MUJUN] = {"mujun.csv", "mujun"}, [DEMOCITY_CREDIT] = {"credit.csv", "credit"},
    [DEMOCITY_RECOGNITIONS] = {"recognitions.csv", "recognitions"}, [DEMOCITY_AWARDS] = {"awards.csv", "awards"},
};

const char *democity_file_name(democity_file f)
{
    return f < DEMOCITY__FILES ? FILES[f].file : NULL;
}

const char *democity_file_kind(democity_file f)
{
    return f < DEMOCITY__FILES ? FILES[f].kind : NULL;
}

typedef struct {
    FILE *fp;
    char path[DC_PATH], tmp[DC_PATH];
    char *buf;
    size_t len;
    long rows;
    long bytes;
    bool yearly;                  /* rows per (entity, year) with a year column */
    int ncols;
    int cols[DC_MAX_COLUMNS];     /* fact columns */
} dc_out;

/* ---- the generator --------------------------------------------------------------------- */

typedef enum { A_GOV, A_MFG, A_TECH, A_SERVICE, A_TRADE, A_FOREIGN, A_AGRI, A_OTHER, A_ORG } dc_arch;
typedef enum { SZ_SMALL, SZ_MEDIUM, SZ_LARGE } dc_size;
enum { ST = -1, PREV = 0, CUR = 1 };  /* static fact; yearly fact of Y-1; of Y */

typedef struct {
    int y, m, d;
} dc_date;

typedef struct {
    const void *key;
    int value;
} dc_slot;

typedef struct {
    const hq_corpus *c;
    hq_diag *diag;
    bool failed;
    int year;
    uint64_t seed;
    dc_out out[DEMOCITY__FILES];
    int file_of[DC_NFACTS];       /* which file a fact's column is in */
    int corpus_fact[DC_NFACTS];
    dc_slot recs[DC_CACHE], items[DC_CACHE], projects[DC_CACHE];

    /* the entity being generated */
    dc_rng rng;
    long index;
    dc_arch arch;
    dc_size size;
    int district;                 /* index into DISTRICTS */
    bool city_level;              /* registered with the city (市本级), division 330300 */
    dc_date registered;
    bool corridor, trading;
    const char *industry, *entity_type;
    char code[19], name[DC_NAME];
    int64_t lc[2], tax[2], revenue[2]; /* 分 */
    int hitech_year;              /* first 高新技术企业 certificate, 0 = none */
    bool tsme;                    /* holds 科技型中小企业 (省) */

    /* Values of the current entity: val[f][k] is set when set[f][k] == stamp (k: 0 for a
     * static fact or Y-1, 1 for Y), so nothing is cleared between entities. */
    uint32_t stamp;
    uint32_t set[DC_NFACTS][2];
    char val[DC_NFACTS][2][DC_VAL];
    int nset[DEMOCITY__FILES][2];
} dc_gen;

static void fail(dc_gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(dc_gen *g, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!g->failed || g->diag->count < 20) diag_add(g->diag, "demo-data", "%s", msg);
    g->failed = true;
}

/* ---- draws ------------------------------------------------------------------------------- */

static int64_t uniform(dc_gen *g, int64_t lo, int64_t hi)
{
    if (hi <= lo) return lo;
    uint64_t n = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(uint64_t)(((unsigned __int128)rng_next(&g->rng) * n) >> 64);
}

static bool chance(dc_gen *g, int permille)
{
    return uniform(g, 0, 999) < permille;
}

/* Between lo and hi, spread evenly over the doublings (piecewise log-uniform), so that
 * small values are as common as large ones across orders of magnitude. */
static int64_t span(dc_gen *g, int64_t lo, int64_t hi)
{
    if (lo < 1) lo = 1;
    if (hi <= lo) return lo;
    int octaves = 0;
    for (int64_t x = lo; x < hi / 2 && octaves < 62; x *= 2) octaves++;
    int64_t a = lo << uniform(g, 0, octaves), b = a * 2 < hi ? a * 2 : hi;
    return uniform(g, a, b);
}

/* x × pct / 100 without overflow for any amount generated here. */
static int64_t pct_of(int64_t x, int64_t pct)
{
    return x / 100 * pct + x % 100 * pct / 100;
}

/* x ± pct %: values just above and just below a threshold x. */
static int64_t near(dc_gen *g, int64_t x, int pct)
{
    return uniform(g, x - pct_of(x, pct), x + pct_of(x, pct));
}

/* A year's growth in %: mostly modest, some decline, a few fast growers. */
static int64_t grow(dc_gen *g, int64_t x)
{
    int r = (int)uniform(g, 0, 99);
    int64_t p = r < 70 ? uniform(g, -10, 25) : r < 90 ? uniform(g, 25, 60) : r < 97 ? uniform(g, -35, -10) : uniform(g, 60, 150);
    return x + pct_of(x, p);
}

/* small ‰ and medium ‰; the rest are large. */
static void draw_size(dc_gen *g, int small_pm, int medium_pm)
{
    int r = (int)uniform(g, 0, 999);
    g->size = r < small_pm ? SZ_SMALL : r < small_pm + medium_pm ? SZ_MEDIUM : SZ_LARGE;
}

static int by_size(const dc_gen *g, int small, int medium, int large)
{
    return g->size == SZ_SMALL ? small : g->size == SZ_MEDIUM ? medium : large;
}

static int64_t money_by_size(dc_gen *g, int64_t s_lo, int64_t s_hi, int64_t m_lo, int64_t m_hi, int64_t l_lo, int64_t l_hi)
{
    return g->size == SZ_SMALL ? span(g, s_lo, s_hi) : g->size == SZ_MEDIUM ? span(g, m_lo, m_hi) : span(g, l_lo, l_hi);
}

typedef struct {
    const char *name;
    int weight;
} dc_weight;

static const char *pick(dc_gen *g, const dc_weight *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) total += w[i].weight;
    int r = (int)uniform(g, 0, total - 1);
    for (int i = 0; i < n; i++)
        if ((r -= w[i].weight) < 0) return w[i].name;
    return w[n - 1].name;
}
#define PICK(g, table) pick((g), (table), (int)(sizeof(table) / sizeof *(table)))

static const char *pick_str(dc_gen *g, const char *const *s, int n)
{
    return s[uniform(g, 0, n - 1)];
}
#define PICK_STR(g, table) pick_str((g), (table), (int)(sizeof(table) / sizeof *(table)))

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* A date in `year` (day 1–28, so every month is valid).
 *
 * Determinism across compilers: C leaves the order of evaluation of function arguments and
 * initialisers unspecified, so no expression in this file draws twice where the order is
 * not fixed (two draws go into separate statements, or either side of && || ?:). */
static dc_date date_in(dc_gen *g, int year)
{
    int m = (int)uniform(g, 1, 12);
    int d = (int)uniform(g, 1, 28);
    return (dc_date){year, m, d};
}

/* A year from lo to hi, never before the entity was registered. */
static int year_from(dc_gen *g, int lo, int hi)
{
    lo = max_int(lo, g->registered.y);
    return (int)uniform(g, lo, hi < lo ? lo : hi);
}

/* ---- formatting ------------------------------------------------------------------------- */

static char *put_i64(char *p, int64_t v)
{
    char tmp[24];
    int n = 0;
    bool neg = v < 0;
    uint64_t u = neg ? 0 - (uint64_t)v : (uint64_t)v;
    do tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (neg) *p++ = '-';
    while (n) *p++ = tmp[--n];
    *p = '\0';
    return p;
}

static void fmt_money(char *out, int64_t fen)
{
    char *p = put_i64(out, fen / 100);
    int64_t f = fen % 100;
    p[0] = '.';
    p[1] = (char)('0' + f / 10);
    p[2] = (char)('0' + f % 10);
    p[3] = '\0';
}

static void fmt_date(char *out, dc_date d)
{
    snprintf(out, DC_VAL, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* ---- literal → corpus lookups, cached by the literal's address --------------------------- */

static int *cache_slot(dc_slot *t, const void *key, bool *fresh)
{
    size_t h = ((uintptr_t)key >> 3) * 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < DC_CACHE; i++) {
        dc_slot *s = &t[(h + i) & (DC_CACHE - 1)];
        if (s->key == key) {
            *fresh = false;
            return &s->value;
        }
        if (!s->key) {
            s->key = key;
            *fresh = true;
            return &s->value;
        }
    }
    return NULL;
}

static int recognition_of(dc_gen *g, const char *name)
{
    bool fresh;
    int *v = cache_slot(g->recs, name, &fresh);
    if (!v) return corpus_find_recognition(g->c, name);
    if (fresh) *v = corpus_find_recognition(g->c, name);
    return *v;
}

static bool item_exists(dc_gen *g, const char *id)
{
    bool fresh;
    int *v = cache_slot(g->items, id, &fresh);
    if (!v) return corpus_find_item(g->c, id) != NULL;
    if (fresh) *v = corpus_find_item(g->c, id) != NULL;
    return *v;
}

static bool project_exists(dc_gen *g, const char *project)
{
    bool fresh;
    int *v = cache_slot(g->projects, project, &fresh);
    if (v && !fresh) return *v;
    bool found = false;
    for (int i = 0; i < g->c->nitems && !found; i++)
        found = g->c->items[i]->terms.project && !strcmp(g->c->items[i]->terms.project, project);
    if (v) *v = found;
    return found;
}

/* ---- fact setters: each value is checked against the corpus as it is written ------------- */

static char *slot(dc_gen *g, dc_fact f, int yr, int type)
{
    if (FACTS[f].type != type || FACTS[f].yearly != (yr != ST)) {
        fail(g, "internal: fact %s written as the wrong kind", FACTS[f].name);
        return NULL;
    }
    int k = yr == CUR ? 1 : 0;
    if (g->set[f][k] != g->stamp) {
        g->set[f][k] = g->stamp;
        g->nset[g->file_of[f]][k]++;
    }
    return g->val[f][k];
}

static void set_bool(dc_gen *g, dc_fact f, int yr, bool v)
{
    char *s = slot(g, f, yr, DT_BOOL);
    if (s) strcpy(s, v ? "是" : "否");
}

static void set_money(dc_gen *g, dc_fact f, int yr, int64_t fen)
{
    char *s = slot(g, f, yr, DT_MONEY);
    if (s) fmt_money(s, fen < 0 ? 0 : fen);
}

static void set_count(dc_gen *g, dc_fact f, int yr, int64_t n)
{
    char *s = slot(g, f, yr, DT_COUNT);
    if (s) put_i64(s, n < 0 ? 0 : n);
}

/* A rate in hundredths of a percent: 385 → "3.85%". */
static void set_rate(dc_gen *g, dc_fact f, int yr, int64_t bp)
{
    char *s = slot(g, f, yr, DT_RATE);
    if (!s) return;
    char *p = put_i64(s, bp / 100);
    snprintf(p, 8, ".%02d%%", (int)(bp % 100));
}

static void set_date(dc_gen *g, dc_fact f, dc_date d)
{
    char *s = slot(g, f, ST, DT_DATE);
    if (s) fmt_date(s, d);
}

static void set_enum(dc_gen *g, dc_fact f, int yr, const char *v)
{
    const hq_fact *cf = g->c->facts[g->corpus_fact[f]];
    if (enum_value(g->c->enums[cf->type.enum_id], v) <= 0) {
        fail(g, "「%s」不再是事实 %s (%s) 的取值: 规则库已变更", v, FACTS[f].name, cf->type_name);
        return;
    }
    char *s = slot(g, f, yr, DT_ENUM);
    if (s) snprintf(s, DC_VAL, "%s", v);
}

/* ---- rows ------------------------------------------------------------------------------- */

static void out_flush(dc_gen *g, dc_out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len) fail(g, "%s：写入失败：%s", o->tmp, HQ_ERRNO_ZH(errno));
    o->bytes += (long)o->len;
    o->len = 0;
}

static void out_raw(dc_gen *g, dc_out *o, const char *s, size_t n)
{
    if (o->len + n > DC_OUTBUF) out_flush(g, o);
    if (n > DC_OUTBUF) return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* One field: quoted only when it holds a separator, a quote or a line break. */
static void out_field(dc_gen *g, dc_out *o, const char *s, bool first)
{
    if (!first) out_raw(g, o, ",", 1);
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        out_raw(g, o, s, strlen(s));
        return;
    }
    out_raw(g, o, "\"", 1);
    for (const char *p = s; *p; p++) {
        out_raw(g, o, p, 1);
        if (*p == '"') out_raw(g, o, p, 1);
    }
    out_raw(g, o, "\"", 1);
}

static void out_end(dc_gen *g, dc_out *o)
{
    out_raw(g, o, "\n", 1);
    o->rows++;
}

/* The rows of one entity in a fact file: one row, or one per year that has a value. */
static void write_fact_rows(dc_gen *g, democity_file fi)
{
    dc_out *o = &g->out[fi];
    for (int k = 0; k < (o->yearly ? 2 : 1); k++) {
        if (!g->nset[fi][k] && fi != DEMOCITY_ENTITIES) continue;
        out_field(g, o, g->code, true);
        out_field(g, o, g->name, false);
        if (o->yearly) {
            char y[8];
            put_i64(y, g->year - 1 + k);
            out_field(g, o, y, false);
        }
        for (int c = 0; c < o->ncols; c++) {
            int f = o->cols[c];
            out_field(g, o, g->set[f][k] == g->stamp ? g->val[f][k] : NULL, false);
        }
        out_end(g, o);
    }
}

/* ---- recognitions, lists and past awards ------------------------------------------------ */

/* A recognition row. level/grade must be values of the recognition's enums (NULL where it
 * has none); the date must not lie after the year generated. */
/* `nth` tells apart several works of one entity under the same recognition (0 for the first). */
static void rec_on_nth(dc_gen *g, const char *name, const char *level, const char *grade, dc_date d, int nth)
{
    int ri = recognition_of(g, name);
    if (ri < 0) {
        fail(g, "认定「%s」不再由规则库声明: 规则库已变更", name);
        return;
    }
    const hq_recognition *r = g->c->recognitions[ri];
    if ((r->levels_enum >= 0) != (level != NULL) ||
        (level && enum_value(g->c->enums[r->levels_enum], level) <= 0) || (r->grades_enum < 0 && grade) ||
        (grade && enum_value(g->c->enums[r->grades_enum], grade) <= 0)) {
        fail(g, "认定「%s」的级别「%s」或等次「%s」与规则库不符: 规则库已变更", name, level ? level : "",
             grade ? grade : "");
        return;
    }
    if (d.y > g->year) d = (dc_date){g->year, 12, 31};
    dc_out *o = &g->out[DEMOCITY_RECOGNITIONS];
    char date[DC_VAL];
    fmt_date(date, d);
    out_field(g, o, g->code, true);
    out_field(g, o, g->name, false);
    out_field(g, o, name, false);
    out_field(g, o, level, false);
    out_field(g, o, grade, false);
    out_field(g, o, date, false);
    /* A recognition that tells projects apart (附则3: `project … by subject`) names the
     * project or work it is for; the same one at every level, so that a later, higher
     * listing is the same project and pays only the difference. */
    char subject[160] = "";
    if (r->keyed && nth) snprintf(subject, sizeof subject, "%s（%s-%d）", name, g->code + 12, nth + 1);
    else if (r->keyed) snprintf(subject, sizeof subject, "%s（%s）", name, g->code + 12);
    out_field(g, o, subject, false);
    out_end(g, o);
}

static void rec_on(dc_gen *g, const char *name, const char *level, const char *grade, dc_date d)
{
    rec_on_nth(g, name, level, grade, d, 0);
}

/* Recognised this year (the evaluation year Y). */
static void rec_new(dc_gen *g, const char *name, const char *level, const char *grade)
{
    rec_on(g, name, level, grade, date_in(g, g->year));
}

/* Held since an earlier year: read by recognition_level(), not new this year. */
static int rec_old(dc_gen *g, const char *name, const char *level, const char *grade, int from)
{
    int y = year_from(g, from, g->year - 1);
    if (y >= g->year) y = g->year - 1;
    rec_on(g, name, level, grade, date_in(g, y));
    return y;
}

static void list_row(dc_gen *g, const char *list, int year)
{
    if (corpus_find_list(g->c, list) < 0) {
        fail(g, "名单「%s」不再由规则库声明: 规则库已变更", list);
        return;
    }
    dc_out *o = &g->out[DEMOCITY_CREDIT];
    char date[DC_VAL];
    fmt_date(date, date_in(g, year));
    out_field(g, o, g->code, true);
    out_field(g, o, g->name, false);
    out_field(g, o, list, false);
    out_field(g, o, date, false);
    out_end(g, o);
}

/* A past award, granted in `year` (< Y) for `item` (an item id of this corpus) or, for awards
 * under the policies before 2020, for `project` (a project key some item carries). `level`
 * 市 or 区; data_year 0 = the grant year. */
static void past_award(dc_gen *g, const char *item, const char *project, int year, int data_year, const char *level,
                       int64_t fen, const char *note)
{
    if (year >= g->year) year = g->year - 1;
    if (item && !item_exists(g, item)) {
        fail(g, "条款 %s 不在规则库中: 规则库已变更", item);
        return;
    }
    if (!item && (!project || !project_exists(g, project))) {
        fail(g, "项目「%s」不再是任何条款的项目: 规则库已变更", project ? project : "");
        return;
    }
    dc_out *o = &g->out[DEMOCITY_AWARDS];
    char y[8], dy[8], amount[DC_VAL];
    put_i64(y, year);
    put_i64(dy, data_year ? data_year : year);
    fmt_money(amount, fen);
    out_field(g, o, g->code, true);
    out_field(g, o, g->name, false);
    out_field(g, o, item, false);
    out_field(g, o, item ? NULL : project, false);
    out_field(g, o, y, false);
    out_field(g, o, dy, false);
    out_field(g, o, level, false);
    out_field(g, o, amount, false);
    out_field(g, o, note, false);
    out_end(g, o);
}

/* The award a recognition at a lower level already earned. Awards from the year the
 * policy took effect (2020) name the item; earlier ones, under the previous policies, name
 * the project only. */
static void paid_before(dc_gen *g, const char *item, const char *project, int year, const char *level, int64_t fen)
{
    int grant = year + (int)uniform(g, 0, 1);
    if (grant >= g->year) grant = g->year - 1;
    if (grant >= 2020) past_award(g, item, NULL, grant, 0, level, fen, "已兑付");
    else past_award(g, NULL, project, grant, 0, level, fen, "原政策已兑付");
}

/* 晋级: held at `lower` since an earlier year and paid `paid` for it; recognised at `higher`
 * this year. 附则3 pays only the difference. */
static void promoted(dc_gen *g, const char *name, const char *lower, const char *higher, const char *lower_grade,
                     const char *higher_grade, const char *item, const char *project, int64_t paid)
{
    int y0 = rec_old(g, name, lower, lower_grade, g->year - 4);
    paid_before(g, item, project, y0, "市", paid);
    rec_new(g, name, higher, higher_grade);
}

/* ---- names and credit codes ---------------------------------------------------------------- */

/* A keyed permutation of [0, limit) (limit ≤ half²): a four-round Feistel network on the two
 * base-`half` digits, walked until it lands inside the range. Entity numbers map to distinct
 * but unordered 字号 and organisation codes, so consecutive entities do not get consecutive
 * codes. */
static uint64_t permute(uint64_t x, uint64_t half, uint64_t limit, uint64_t key)
{
    do {
        uint64_t l = x / half, r = x % half;
        for (uint64_t round = 0; round < 4; round++) {
            uint64_t mix = key ^ (r * 0x9E3779B97F4A7C15ull) ^ (round << 56);
            uint64_t t = (l + splitmix64(&mix) % half) % half;
            l = r;
            r = t;
        }
        x = l * half + r;
    } while (x >= limit);
    return x;
}

/* 128 characters of 字号; a number below 128^k names a unique k-character 字号. */
static const char *const ZIHAO[128] = {
    "瓯", "鹿", "华", "宏", "鑫", "正", "泰", "瑞", "昌", "隆", "达", "通", "宇", "恒", "力", "永", "嘉", "信", "诚", "东",
    "海", "明", "德", "金", "丰", "源", "安", "康", "佳", "雁", "荡", "楠", "溪", "江", "山", "城", "新", "光", "大", "中",
    "天", "龙", "凤", "祥", "和", "美", "欣", "盛", "兴", "旺", "顺", "利", "豪", "博", "捷", "益", "合", "远", "航", "星",
    "辰", "晨", "阳", "春", "秋", "冠", "峰", "岩", "林", "森", "民", "众", "立", "志", "创", "振", "腾", "飞", "凯", "胜",
    "威", "强", "亿", "万", "千", "富", "贵", "吉", "福", "禄", "寿", "欧", "亚", "环", "球", "联", "邦", "方", "圆", "锦",
    "绣", "丽", "雅", "君", "伟", "业", "俊", "杰", "超", "越", "卓", "群", "精", "工", "实", "巨", "蓝", "绿", "洲", "翔",
    "宁", "静", "鸿", "运", "昊", "晟", "钧", "铭",
};

/* The entity's 字号: a bijection of its index, so no two entities share one. The first 16384
 * get two characters, the rest three. */
static void zihao(const dc_gen *g, char *out, size_t size)
{
    if (g->index < 16384) {
        uint64_t k = permute((uint64_t)g->index, 128, 16384, g->seed ^ 0x2A);
        snprintf(out, size, "%s%s", ZIHAO[k >> 7], ZIHAO[k & 127]);
    } else {
        uint64_t k = permute((uint64_t)g->index - 16384, 2048, 1u << 21, g->seed ^ 0x3B);
        snprintf(out, size, "%s%s%s", ZIHAO[k >> 14], ZIHAO[k >> 7 & 127], ZIHAO[k & 127]);
    }
}

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 11714 check character of an 8-character organisation code body. */
static char org_check(const char *body)
{
    static const int W[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char ch = body[i];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : ch - 'A' + 10;
        sum += v * W[i];
    }
    int c = 11 - sum % 11;
    return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

void democity_credit_code(const char *kind, const char *division, const char *body8, char out[19])
{
    static const int W[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    memcpy(out, kind, 2);
    memcpy(out + 2, division, 6);
    memcpy(out + 8, body8, 8);
    out[16] = org_check(body8);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (int)(strchr(ALPHABET, out[i]) - ALPHABET) * W[i];
    int check = 31 - sum % 31;
    out[17] = ALPHABET[check == 31 ? 0 : check];
    out[18] = '\0';
}

/* The code of the current entity. The organisation code body is a bijection of the index
 * (digits for registrations before the 2015 reform, "MA" + six characters after it), so codes
 * never collide. */
static void make_code(dc_gen *g, const char *kind, const char *division)
{
    char body[9];
    if (g->registered.y >= 2016 && kind[0] == '9') {
        uint64_t k = permute((uint64_t)g->index, 29791, 887503681u, g->seed ^ 0x4C); /* 31^6 = 29791² */
        body[0] = 'M';
        body[1] = 'A';
        for (int i = 7; i >= 2; i--, k /= 31) body[i] = ALPHABET[k % 31];
    } else {
        uint64_t k = permute((uint64_t)g->index, 10000, 100000000u, g->seed ^ 0x5D);
        for (int i = 7; i >= 0; i--, k /= 10) body[i] = (char)('0' + k % 10);
    }
    body[8] = '\0';
    democity_credit_code(kind, division, body, g->code);
    char expected;
    if (uscc_check(g->code, &expected)) fail(g, "internal: credit code %s does not check", g->code);
}

/* ---- districts, industries, names ------------------------------------------------------ */

static const struct {
    const char *name, *division, *gov;
    int weight, agri_weight, corridor_pm;
    bool urban;                 /* 市区 */
} DISTRICTS[] = {
    {"鹿城区", "330302", "温州市鹿城区人民政府", 230, 3, 100, true},
    {"龙湾区", "330303", "温州市龙湾区人民政府", 150, 4, 350, true},
    {"瓯海区", "330304", "温州市瓯海区人民政府", 180, 8, 350, true},
    {"洞头区", "330305", "温州市洞头区人民政府", 25, 4, 0, true},
    {"瓯江口产业集聚区", "330303", "温州市瓯江口产业集聚区管理委员会", 45, 2, 0, true},
    {"浙南产业集聚区", "330371", "温州浙南沿海先进装备产业集聚区管理委员会", 90, 1, 200, true},
    {"乐清市", "330382", "乐清市人民政府", 80, 12, 0, false},
    {"瑞安市", "330381", "瑞安市人民政府", 80, 15, 0, false},
    {"龙港市", "330383", "龙港市人民政府", 25, 3, 0, false},
    {"永嘉县", "330324", "永嘉县人民政府", 30, 12, 0, false},
    {"文成县", "330328", "文成县人民政府", 6, 8, 0, false},
    {"平阳县", "330326", "平阳县人民政府", 25, 10, 0, false},
    {"苍南县", "330327", "苍南县人民政府", 22, 10, 0, false},
    {"泰顺县", "330329", "泰顺县人民政府", 5, 8, 0, false},
    {"温州市外", "330100", NULL, 0, 0, 0, false},
};
enum { N_DISTRICTS = sizeof DISTRICTS / sizeof *DISTRICTS, N_GOV = N_DISTRICTS - 1, OUTSIDE = N_DISTRICTS - 1 };

static int pick_district(dc_gen *g, bool agri)
{
    int total = 0;
    for (int i = 0; i < N_DISTRICTS; i++) total += agri ? DISTRICTS[i].agri_weight : DISTRICTS[i].weight;
    int r = (int)uniform(g, 0, total - 1);
    for (int i = 0; i < N_DISTRICTS; i++)
        if ((r -= agri ? DISTRICTS[i].agri_weight : DISTRICTS[i].weight) < 0) return i;
    return 0;
}

static bool urban(const dc_gen *g)
{
    return DISTRICTS[g->district].urban;
}

/* The county-level part of a name: "乐清市" for a county, "温州市鹿城区" for a district. */
static const char *place(const dc_gen *g)
{
    static const char *const URBAN[] = {"温州市鹿城区", "温州市龙湾区", "温州市瓯海区", "温州市洞头区", "温州市", "温州市"};
    return urban(g) ? URBAN[g->district] : DISTRICTS[g->district].name;
}

/* 行业词 of each industry, for 温州 + 字号 + 行业词 + 有限公司. */
static const struct {
    const char *industry;
    const char *words[6];
} WORDS[] = {
    {"制造业", {"电气", "机械", "鞋业", "阀门", "汽摩配件", "服饰"}},
    {"软件和信息技术服务", {"软件", "信息技术", "网络科技", "数据科技", "智能科技", "信息科技"}},
    {"智能制造工程服务", {"智能制造", "自动化工程", "工业互联网", "智能装备工程", "数字工厂", "机器人科技"}},
    {"研发设计", {"工程技术", "研发科技", "设计研究", "新材料研究", "技术开发", "生物科技"}},
    {"创意设计", {"工业设计", "创意设计", "品牌设计", "时尚设计", "文化创意", "设计"}},
    {"技术转移", {"技术转移", "科技成果转化", "技术交易", "技术转移服务", "科技服务", "成果转化"}},
    {"检验检测认证", {"检测", "检验认证", "质量检测", "检测技术", "计量检测", "检验检测"}},
    {"创业孵化", {"孵化器", "创业服务", "众创空间", "科技企业孵化", "创客空间", "双创服务"}},
    {"知识产权服务", {"知识产权", "专利代理", "知识产权服务", "商标代理", "知识产权运营", "专利事务"}},
    {"科技咨询", {"科技咨询", "技术服务", "管理咨询", "科技信息咨询", "工程咨询", "科技服务"}},
    {"人力资源服务", {"人力资源", "人才服务", "人力资源开发", "劳务派遣", "猎头服务", "人才科技"}},
    {"物流", {"物流", "供应链", "货运", "国际物流", "冷链物流", "快递"}},
    {"电子商务", {"电子商务", "网络科技", "电商", "跨境电子商务", "直播科技", "网络营销"}},
    {"会展", {"会展", "展览", "会展服务", "国际会展", "展览策划", "会议服务"}},
    {"文化", {"文化传播", "文化创意", "文化发展", "文化艺术", "文化产业", "非遗文化"}},
    {"出版发行", {"图书发行", "出版", "书刊发行", "数字出版", "印务", "文化传媒"}},
    {"影视", {"影视", "影业", "影视传媒", "影视文化", "电影", "影视制作"}},
    {"演艺", {"演艺", "文化演出", "演艺经纪", "剧院管理", "艺术团", "演出"}},
    {"动漫游戏", {"动漫", "游戏", "数字娱乐", "动画", "网络游戏", "动漫文化"}},
    {"广告", {"广告", "广告传媒", "广告设计", "品牌策划", "传媒", "营销策划"}},
    {"旅行社", {"国际旅行社", "旅行社", "旅游服务", "旅游", "假期旅行社", "研学旅行"}},
    {"旅游景区", {"旅游开发", "景区管理", "旅游发展", "文旅发展", "景区运营", "旅游投资"}},
    {"酒店餐饮", {"酒店", "餐饮管理", "大酒店", "餐饮", "酒店管理", "食品餐饮"}},
    {"体育", {"体育发展", "体育文化", "体育用品", "运动科技", "体育产业", "健身"}},
    {"养老", {"养老服务", "康养", "健康管理", "养老产业", "颐养", "护理服务"}},
    {"停车服务", {"停车管理", "智慧停车", "停车场管理", "交通设施", "停车服务", "城市停车"}},
    {"银行", {"银行", "农村商业银行", "村镇银行", "商业银行", "民商银行", "银行"}},
    {"保险", {"保险", "财产保险", "人寿保险", "保险经纪", "保险代理", "保险"}},
    {"证券", {"证券", "证券经纪", "证券投资咨询", "证券", "证券", "证券"}},
    {"期货", {"期货", "期货经纪", "期货", "期货", "期货", "期货"}},
    {"金融租赁", {"金融租赁", "融资租赁", "金融租赁", "融资租赁", "金融租赁", "融资租赁"}},
    {"金融资产管理", {"资产管理", "金融资产管理", "资产管理", "资产管理", "资产管理", "资产管理"}},
    {"基金管理", {"股权投资基金管理", "私募基金管理", "资产管理", "创业投资管理", "投资管理", "基金管理"}},
    {"产业基金", {"产业投资", "股权投资", "创业投资", "产业发展投资", "科创投资", "产业引导投资"}},
    {"批发零售", {"商贸", "贸易", "进出口", "超市", "百货", "商业"}},
    {"汽车销售", {"汽车销售服务", "汽车贸易", "汽车服务", "汽车销售", "汽车贸易", "汽车服务"}},
    {"石油及制品销售", {"石化", "石油销售", "能源", "油品销售", "石化销售", "燃料"}},
    {"房地产", {"房地产开发", "置业", "房地产", "地产", "置业发展", "房地产开发"}},
    {"建筑业", {"建设", "建筑工程", "建工", "市政工程", "建筑科技", "装配式建筑"}},
    {"农业", {"农业开发", "生态农业", "农业科技", "茶业", "果蔬", "水产"}},
    {"其他", {"商务服务", "企业管理", "实业", "投资", "科技", "控股"}},
};

static const char *industry_word(dc_gen *g, const char *industry)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof *WORDS; i++)
        if (!strcmp(WORDS[i].industry, industry)) return WORDS[i].words[uniform(g, 0, 5)];
    return "实业";
}

/* 温州 + 字号 + 行业词 + 有限公司; large firms sometimes 股份/集团. */
static void company_name(dc_gen *g)
{
    char zh[16];
    zihao(g, zh, sizeof zh);
    const char *word = industry_word(g, g->industry);
    const char *suffix = g->size == SZ_LARGE && chance(g, 400) ? (chance(g, 500) ? "股份有限公司" : "集团有限公司") : "有限公司";
    const char *city = g->district == OUTSIDE ? "杭州" : "温州";
    if (!strcmp(g->industry, "产业基金"))
        snprintf(g->name, sizeof g->name, "%s%s%s合伙企业(有限合伙)", city, zh, word);
    else
        snprintf(g->name, sizeof g->name, "%s%s%s%s", city, zh, word, suffix);
}

/* ---- the entity's frame: identity, the facts every document rule reads, economics ---------- */

/* Registration year: spread over 2005–Y, older for larger firms, a few founded this year. */
static void registration(dc_gen *g)
{
    int y = g->year, lo = 2005, hi = g->size == SZ_LARGE ? y - 8 : g->size == SZ_MEDIUM ? y - 3 : y - 1;
    if (hi < lo) hi = lo;
    int reg = g->size == SZ_SMALL && chance(g, 40) ? y : (int)uniform(g, lo, hi);
    g->registered = date_in(g, reg);
}

/* Identity and the facts each document's 附则 rules read, present for every entity. */
static void frame(dc_gen *g, const char *entity_type, const char *kind, bool legal_person, bool service)
{
    const char *division = g->city_level && urban(g) ? "330300" : DISTRICTS[g->district].division;
    make_code(g, kind, division);
    set_enum(g, F_district, ST, DISTRICTS[g->district].name);
    set_date(g, F_registered, g->registered);
    set_enum(g, F_entity_type, ST, entity_type);
    g->entity_type = entity_type;
    set_enum(g, F_industry, ST, g->industry);
    /* A 合伙企业 (the funds are 有限合伙) is a 非法人组织: 12号 and 13号 admit it, 14号 and 15号 do not. */
    bool partnership = !strcmp(g->industry, "产业基金");
    set_bool(g, F_independent_legal_person, ST, legal_person && !partnership);
    set_bool(g, F_partnership, ST, partnership);
    bool gov = g->arch == A_GOV, inside = g->district != OUTSIDE;
    /* A few firms registered in 市区 pay their taxes in a county (a head office moved). */
    set_bool(g, F_fiscal_revenue_in_city, ST, urban(g) && (gov || !chance(g, 10)));
    set_bool(g, F_fiscal_revenue_in_prefecture, ST, inside);
    set_bool(g, F_trading_company, ST, g->trading);
    set_bool(g, F_registration_moved, ST, !gov && chance(g, 4));
    set_bool(g, F_illegal_land_use, ST, !gov && chance(g, g->arch == A_MFG ? 15 : 4));
    set_bool(g, F_in_kechuang_corridor, ST, g->corridor);
    set_bool(g, F_service_sector, ST, service);
    set_bool(g, F_foreign_invested, ST, g->arch == A_FOREIGN);
    set_bool(g, F_major_accident, PREV, !gov && chance(g, 4));
    set_bool(g, F_major_accident, CUR, !gov && chance(g, 4));
}

/* 地方综合贡献度 for Y-1 and Y by size, with 入库税收 and 营业收入 in proportion and 规上 status
 * from revenue. A firm founded this year has nothing for Y-1. Some small firms are made to
 * cross the 规上 line this year (小升规: 12-18-47, 13-17-98). */
static void economics(dc_gen *g, int revenue_lo, int revenue_hi, int64_t above_scale_revenue)
{
    int64_t lc0 = money_by_size(g, WAN(3), WAN(60), WAN(60), WAN(500), WAN(500), WAN(6000));
    /* Large firms grow steadily; the fast growers and sharp falls are smaller firms. */
    int64_t lc1 = g->size == SZ_LARGE ? lc0 + pct_of(lc0, uniform(g, -15, 30)) : grow(g, lc0);
    bool fresh = g->registered.y >= g->year;
    if (fresh) lc0 = 0, lc1 = span(g, WAN(1), WAN(40));
    int64_t ratio = uniform(g, revenue_lo, revenue_hi);
    int64_t rev0 = lc0 * ratio, rev1 = lc1 * ratio + pct_of(lc1 * ratio, uniform(g, -5, 5));
    if (!fresh && g->size == SZ_SMALL && chance(g, 30)) {
        rev0 = pct_of(above_scale_revenue, uniform(g, 70, 99));
        rev1 = pct_of(above_scale_revenue, uniform(g, 101, 160));
        lc0 = rev0 / ratio;
        lc1 = near(g, WAN(20), 60);
        if (lc1 <= lc0) lc1 = grow(g, lc0);
    }
    g->lc[0] = lc0, g->lc[1] = lc1;
    g->revenue[0] = rev0, g->revenue[1] = rev1;
    g->tax[0] = pct_of(lc0, uniform(g, 200, 260));
    g->tax[1] = pct_of(lc1, uniform(g, 200, 260));
    set_money(g, F_local_contribution, PREV, lc0);
    set_money(g, F_local_contribution, CUR, lc1);
    set_money(g, F_tax_paid, PREV, g->tax[0]);
    set_money(g, F_tax_paid, CUR, g->tax[1]);
    if (!fresh) set_money(g, F_revenue, PREV, rev0);
    set_money(g, F_revenue, CUR, rev1);
    bool above0 = !fresh && rev0 >= above_scale_revenue, above1 = rev1 >= above_scale_revenue;
    set_bool(g, F_above_scale, PREV, above0);
    set_bool(g, F_above_scale, CUR, above1);
    if (above1) set_date(g, F_above_scale_since, above0 ? date_in(g, year_from(g, 2008, g->year - 1)) : date_in(g, g->year));
}

static void mujun(dc_gen *g)
{
    static const dc_weight RATINGS[] = {{"A", 250}, {"B", 600}, {"C", 110}, {"D", 40}};
    if (chance(g, by_size(g, 650, 900, 980))) set_enum(g, F_mujun_rating, ST, PICK(g, RATINGS));
}

/* 贷款市场报价利率: one figure for everyone (1-year LPR 3.85%). */
static void lpr(dc_gen *g)
{
    set_rate(g, F_lpr, CUR, 385);
}

/* ---- shared programmes ------------------------------------------------------------------- */

/* 高新技术企业 (held, or new this year: 13-20-109) and 科技型中小企业; hitech_since is the first
 * certificate (13-20-113). */
static void science_status(dc_gen *g, int held_pm, int new_pm, int tsme_pm)
{
    int y = g->year;
    if (chance(g, held_pm)) g->hitech_year = year_from(g, 2010, y - 1);
    else if (chance(g, new_pm)) g->hitech_year = y;
    if (g->hitech_year) {
        dc_date d = date_in(g, g->hitech_year);
        rec_on(g, "高新技术企业", NULL, NULL, d);
        set_date(g, F_hitech_since, d);
        if (g->hitech_year == y - 1 && y - 1 >= 2020 && chance(g, 700))
            past_award(g, "13-20-109", NULL, y - 1, 0, "市", WAN(20), "高新技术企业新认定");
    }
    if (chance(g, tsme_pm)) {
        g->tsme = true;
        rec_old(g, "科技型中小企业", "省", NULL, 2016);
    } else if (chance(g, tsme_pm / 4)) {
        g->tsme = true;
        rec_new(g, "科技型中小企业", "省", NULL);
    }
}

/* 科技金融 (13-26-138/139) and 引才留才 (13-27-140), for certified firms. */
static void science_finance(dc_gen *g)
{
    if (!g->hitech_year && !g->tsme) return;
    if (chance(g, 120)) set_money(g, F_tech_insurance_premium, CUR, span(g, WAN(1), WAN(40)));
    if (g->corridor) {
        set_bool(g, F_kc_main_industry, ST, chance(g, 500));
        if (chance(g, 300)) {
            set_money(g, F_tech_loan, CUR, span(g, WAN(100), WAN(3000)));
            lpr(g);
        }
    }
    if (g->hitech_year && g->tax[1] >= WAN(500) && chance(g, 400)) {
        set_bool(g, F_talent_training, CUR, chance(g, 800));
        set_money(g, F_hitech_talent_contribution, CUR, pct_of(g->lc[1], uniform(g, 3, 15)));
    }
}

/* Exporters (14号 articles 10–17). */
static void exporter(dc_gen *g)
{
    int64_t usd0 = g->size == SZ_SMALL ? span(g, 200000, 5000000) : g->size == SZ_MEDIUM ? span(g, 3000000, 30000000) : span(g, 20000000, 150000000);
    set_count(g, F_export_usd, PREV, usd0);
    set_count(g, F_export_usd, CUR, grow(g, usd0));
    /* 14-17-26: 出口信用保险 at 0.1–0.4% of exports (at 7元/美元); 联保 for small exporters. */
    {
        int64_t premium = chance(g, 550) ? usd0 * 700 / 10000 * uniform(g, 10, 40) : 0;
        set_money(g, F_credit_insurance_premium, CUR, premium);
        set_money(g, F_credit_insurance_us_premium, CUR, chance(g, 300) ? pct_of(premium, uniform(g, 10, 60)) : 0);
        set_money(g, F_joint_insurance_premium, CUR, usd0 <= 5000000 && chance(g, 400) ? span(g, YUAN(3000), WAN(5)) : 0);
    }
    /* 14-12-17: 商标国际注册, 国际认证. */
    if (chance(g, 70)) {
        set_money(g, F_trademark_intl_fee, CUR, span(g, WAN(1), WAN(25)));
        bool cert = chance(g, 500);
        set_bool(g, F_intl_cert_new, CUR, cert);
        set_money(g, F_intl_cert_fee, CUR, cert ? span(g, WAN(2), WAN(40)) : 0);
    }
    /* 14-12-18 出口名牌: 市 new, or 市 → 省 with the 5万 already paid. */
    if (chance(g, by_size(g, 10, 30, 40))) {
        if (chance(g, 350)) promoted(g, "出口名牌", "市", "省", NULL, NULL, "14-12-18", "出口名牌", WAN(5));
        else rec_new(g, "出口名牌", chance(g, 700) ? "市" : "省", NULL);
    }
    /* 14-10-14: 境内外展会 (every fact of the item, most of them zero). */
    if (chance(g, 120)) {
        bool key = chance(g, 500), abroad = key && chance(g, 700);
        set_money(g, F_expo_self_new_fee, CUR, chance(g, 400) ? span(g, YUAN(5000), WAN(6)) : 0);
        set_money(g, F_expo_self_old_fee, CUR, chance(g, 300) ? span(g, YUAN(5000), WAN(5)) : 0);
        set_count(g, F_expo_key_booths, CUR, key ? uniform(g, 1, 9) : 0);
        set_money(g, F_expo_key_fee_per_booth, CUR, key ? span(g, WAN(1), WAN(6)) : 0);
        set_bool(g, F_expo_key_abroad, CUR, abroad);
        set_bool(g, F_expo_key_belt_road, CUR, abroad && chance(g, 400));
        set_bool(g, F_expo_key_asia, CUR, abroad && chance(g, 500));
        set_money(g, F_expo_freight, CUR, abroad ? span(g, WAN(1), WAN(8)) : 0);
        bool general = chance(g, 500);
        set_count(g, F_expo_general_booths, CUR, general ? uniform(g, 1, 6) : 0);
        set_money(g, F_expo_general_fee_per_booth, CUR, general ? span(g, WAN(1), WAN(4)) : 0);
        set_bool(g, F_expo_general_belt_road, CUR, general && chance(g, 300));
    }
    /* 14-17-27 贸易救济应诉律师费. */
    if (chance(g, 6)) set_money(g, F_trade_remedy_lawyer_fee, CUR, span(g, WAN(5), WAN(200)));
}

/* 战略性新兴产业 (13-9-50…54). */
static void strategic_industry(dc_gen *g)
{
    int y = g->year;
    if (g->size != SZ_SMALL && chance(g, 50)) {
        set_bool(g, F_sei_project, ST, true);
        set_money(g, F_sei_fixed_investment, CUR, near(g, YI(15) / 10, 60));
        set_count(g, F_sei_fixed_investment_years_paid, CUR, uniform(g, 0, 2));
        set_date(g, F_sei_project_date, date_in(g, year_from(g, g->year - 3, g->year))); /* the project (附则3) */
        if (chance(g, 200)) {
            rec_new(g, "省重大产业项目", NULL, NULL);
            set_count(g, F_sei_land_quota, ST, uniform(g, 30, 300));
        }
        if (chance(g, 100)) rec_new(g, "国家重大产业发展专项", NULL, NULL);
    }
    if (chance(g, 30)) {
        set_date(g, F_sei_above_scale_since, date_in(g, year_from(g, y - 2, y - 1)));
        set_bool(g, F_sei_in_database, PREV, true);
        set_bool(g, F_sei_in_database, CUR, chance(g, 900));
    }
    if (g->size != SZ_SMALL && chance(g, 30)) {
        int64_t out0 = near(g, WAN(2500), 30), out1 = grow(g, out0);
        set_bool(g, F_sei_upgrade_pool, CUR, true);
        set_money(g, F_sei_output, PREV, out0);
        set_money(g, F_sei_output, CUR, out1);
        set_money(g, F_sei_output_prior_max, CUR, out0);
    }
}

/* 上市、挂牌、股改、并购 (13号 articles 21–23). A listed firm carries every fact the 上市
 * items read; one listed this year also its 首发融资. */
static void capital_markets(dc_gen *g)
{
    int y = g->year;
    bool listed = g->size == SZ_LARGE ? chance(g, 150) : g->size == SZ_MEDIUM && chance(g, 15);
    if (listed) { /* 13-21-121, 13-21-124, 13-21-125 */
        int when = chance(g, 500) ? year_from(g, y - 2, y) : year_from(g, 2010, y);
        set_bool(g, F_listed, ST, true);
        set_date(g, F_listed_date, date_in(g, when));
        set_bool(g, F_red_chip, ST, false);
        set_bool(g, F_star_market, ST, when == y && chance(g, 200));
        if (when == y) {
            int64_t proceeds = span(g, YI(3), YI(15));
            set_money(g, F_ipo_proceeds, ST, proceeds);
            set_money(g, F_ipo_proceeds_in_wz, ST, pct_of(proceeds, uniform(g, 30, 90)));
        }
        set_rate(g, F_city_tax_growth, CUR, 800);
        set_bool(g, F_major_restructuring, CUR, chance(g, 80));
        bool refinanced = when < y && chance(g, 200);
        int64_t refinancing = refinanced ? span(g, YI(2), YI(30)) : 0;
        set_money(g, F_refinancing, CUR, refinancing);
        set_money(g, F_refinancing_in_wz, CUR, pct_of(refinancing, uniform(g, 20, 90)));
        set_money(g, F_ipo_four_cases_contribution, CUR, chance(g, 200) ? span(g, WAN(20), WAN(500)) : 0);
    } else if (g->size != SZ_SMALL && chance(g, 40)) { /* 13-21-122, 13-23-131: 拟上市, 股改 */
        set_bool(g, F_listed, ST, false);
        set_date(g, F_ipo_candidate_since, date_in(g, year_from(g, y - 6, y)));
        set_money(g, F_ipo_four_cases_contribution, CUR, span(g, WAN(20), WAN(800)));
        set_bool(g, F_ipo_key_tutoring, ST, chance(g, 500));
        set_bool(g, F_shareholding_reform, CUR, chance(g, 400));
        if (chance(g, 200)) { /* 13-22-130: IPO 未过会 */
            set_bool(g, F_ipo_rejected, CUR, true);
            set_money(g, F_ipo_service_fees, ST, span(g, WAN(200), WAN(1500)));
        }
    }
    if (g->size == SZ_MEDIUM && chance(g, 15)) set_date(g, F_neeq_listed, date_in(g, y)); /* 13-21-126 */
    if (chance(g, 6)) set_money(g, F_vc_transfer_contribution, CUR, span(g, WAN(10), WAN(500))); /* 13-23-132 */
    if (g->size != SZ_SMALL && chance(g, 6)) set_money(g, F_ipo_restructuring_contribution, CUR, span(g, WAN(20), WAN(600)));
    if (g->size == SZ_LARGE && chance(g, 30)) { /* 13-21-127: 境内并购 */
        set_money(g, F_dma_amount, ST, near(g, YI(1), 50));
        set_bool(g, F_dma_control, ST, chance(g, 800));
        set_date(g, F_dma_date, date_in(g, year_from(g, y - 2, y)));
        set_money(g, F_dma_service_fees, CUR, span(g, WAN(20), WAN(300)));
        set_money(g, F_dma_loan_interest, CUR, span(g, WAN(20), WAN(500)));
    }
}

/* 14号 articles 6–9: 走出去 for large firms. */
static void going_abroad(dc_gen *g)
{
    int y = g->year;
    if (g->size != SZ_LARGE) return;
    if (chance(g, 5)) { /* 14-6-10 */
        rec_new(g, "境外经贸合作区", chance(g, 800) ? "省" : "国家", NULL);
        set_rate(g, F_overseas_zone_share, ST, uniform(g, 3000, 10000));
        set_bool(g, F_overseas_zone_belt_road, ST, chance(g, 600));
    }
    if (chance(g, 30)) { /* 14-7-11 境外并购 */
        set_date(g, F_ma_date, date_in(g, year_from(g, y - 2, y)));
        set_money(g, F_ma_amount, CUR, near(g, YI(1), 60));
        set_bool(g, F_ma_control, CUR, chance(g, 800));
        set_money(g, F_ma_service_fees, CUR, span(g, WAN(20), WAN(300)));
        set_money(g, F_ma_loan_interest, CUR, span(g, WAN(20), WAN(500)));
    }
    if (chance(g, 10)) rec_new(g, "省级本土跨国公司", NULL, NULL); /* 14-8-12 */
    if (chance(g, 60)) {
        set_bool(g, F_mnc_key_cultivation, CUR, true);
        set_bool(g, F_mnc_pool, CUR, chance(g, 300));
        set_money(g, F_mnc_consolidation_fees, CUR, chance(g, 300) ? span(g, WAN(10), WAN(200)) : 0);
    }
    if (chance(g, 40)) { /* 14-9-13 境外研发机构 */
        set_bool(g, F_overseas_rd_new, CUR, true);
        set_count(g, F_overseas_rd_usd, CUR, near(g, 500000, 60));
    }
}

/* ---- archetypes ------------------------------------------------------------------------ */

/* 制造业: the bulk of 13号 (研发, 技改, 认定, 质量, 知识产权, 绿色, 上市) and the exports of 14号. */
static void programme_manufacturer(dc_gen *g)
{
    int y = g->year;
    mujun(g);
    set_bool(g, F_digital_core_industry, ST, chance(g, 80));

    /* 13-12-61/62 技改: 一年内设备投入 around the 200万 and 500万 steps. */
    if (chance(g, by_size(g, 250, 400, 550))) {
        set_money(g, F_tech_investment, CUR, money_by_size(g, WAN(80), WAN(600), WAN(150), WAN(1500), WAN(400), WAN(4000)));
        set_bool(g, F_green_retrofit, CUR, chance(g, 150));
        if (chance(g, 200)) past_award(g, NULL, "技改项目", y - 3, 0, "市", money_by_size(g, WAN(20), WAN(60), WAN(30), WAN(200), WAN(80), WAN(400)), "原政策已兑付");
    }
    /* 13-2-5 研发费用: 10%, capped at 300万 (from 3000万). */
    if (chance(g, by_size(g, 350, 700, 900))) {
        int64_t rd = money_by_size(g, WAN(20), WAN(300), WAN(150), WAN(1500), WAN(800), WAN(8000));
        set_money(g, F_rd_deductible, CUR, rd);
        if (y - 1 >= 2020 && chance(g, 250)) {
            int64_t paid = pct_of(grow(g, rd), 10);
            past_award(g, "13-2-5", NULL, y - 1, y - 2, "市", paid > WAN(300) ? WAN(300) : paid, "上年度研发费用补助");
        }
    }
    science_status(g, by_size(g, 200, 450, 650), by_size(g, 60, 90, 50), by_size(g, 300, 200, 40));
    science_finance(g);
    /* 13-12-65 小微园企业技改 */
    if (g->size == SZ_SMALL && chance(g, 150)) {
        set_bool(g, F_in_micro_park, CUR, true);
        if (chance(g, 600)) set_money(g, F_micro_park_equipment, CUR, span(g, WAN(20), WAN(300)));
    }
    /* 13-19-104 专精特新小巨人, 单项冠军 (国家) */
    if (chance(g, by_size(g, 3, 15, 25))) rec_new(g, "专精特新小巨人", "国家", NULL);
    if (g->size == SZ_LARGE && chance(g, 25)) rec_new(g, "制造业单项冠军企业", "国家", chance(g, 400) ? "示范企业" : "培育企业");
    if (g->size == SZ_LARGE && chance(g, 15)) rec_new(g, "制造业单项冠军产品", "国家", NULL);
    /* 13-19-105 隐形冠军 (省): some promoted from 培育企业, who got 10万 then. */
    if (g->size != SZ_SMALL && chance(g, 45)) {
        if (chance(g, 400)) promoted(g, "隐形冠军企业", "省", "省", "培育企业", "隐形冠军企业", "13-19-105", "省级隐形冠军企业", WAN(10));
        else rec_new(g, "隐形冠军企业", "省", chance(g, 400) ? "隐形冠军企业" : "培育企业");
    }
    /* 13-19-106/107 高成长型工业企业 */
    if (chance(g, 40)) rec_new(g, "高成长型工业企业", NULL, NULL);
    /* 13-6-31 企业技术中心: 省 new, or 省 → 国家 (30万 paid); older 市级 ones only hold. */
    if (chance(g, by_size(g, 8, 35, 60))) {
        if (g->size == SZ_LARGE && chance(g, 300)) promoted(g, "企业技术中心", "省", "国家", NULL, NULL, "13-6-31", "企业技术中心", WAN(30));
        else rec_new(g, "企业技术中心", "省", NULL);
    } else if (chance(g, by_size(g, 30, 100, 150))) {
        rec_old(g, "企业技术中心", "市", NULL, 2012);
    }
    /* 12-7-12 工业设计中心 (市 10万, 省 30万, 国家 100万), with promotions; 12-7-14 公共服务. */
    if (chance(g, by_size(g, 20, 45, 50))) {
        int r = (int)uniform(g, 0, 9);
        if (r < 2) {
            promoted(g, "工业设计中心", "市", "省", NULL, NULL, "12-7-12", "工业设计中心", WAN(10));
        } else if (r < 3 && g->size == SZ_LARGE) {
            promoted(g, "工业设计中心", "省", "国家", NULL, NULL, "12-7-12", "工业设计中心", WAN(30));
        } else if (r < 4) { /* the district rewarded its 区级 centre; the city tops up */
            int y0 = rec_old(g, "工业设计中心", "区", NULL, y - 3);
            past_award(g, NULL, "工业设计中心", y0 < y - 1 ? y0 + 1 : y0, 0, "区", WAN(5), "区级配套已兑付");
            rec_new(g, "工业设计中心", "市", NULL);
        } else {
            rec_new(g, "工业设计中心", g->size == SZ_SMALL ? "市" : chance(g, 600) ? "市" : "省", NULL);
        }
    } else if (g->size != SZ_SMALL && chance(g, 25)) {
        rec_old(g, "工业设计中心", "省", NULL, 2014);
        set_money(g, F_design_public_service, CUR, near(g, WAN(500), 70));
    }
    /* 12-6-10 设计大奖 产业化 */
    if (chance(g, 12)) {
        rec_old(g, "设计大奖", NULL, NULL, y - 4);
        set_date(g, F_design_production_started, date_in(g, year_from(g, y - 3, y)));
        set_money(g, F_design_project_contribution, CUR, pct_of(g->lc[1], uniform(g, 5, 40)));
    }
    /* 13-2-7…10 研究院, 研发中心 */
    if (chance(g, by_size(g, 4, 20, 35))) rec_new(g, "省级企业研究院", NULL, NULL);
    if (g->size == SZ_LARGE && chance(g, 40)) {
        rec_new(g, "省级重点企业研究院", NULL, NULL);
        set_money(g, F_key_institute_prov_grant, ST, span(g, WAN(100), WAN(500)));
    }
    if (g->hitech_year && chance(g, 50)) rec_new(g, "省高新技术企业研发中心", NULL, NULL);
    /* 13-2-14 首台套, 13-2-15 新材料首批次 */
    if (g->size != SZ_SMALL && chance(g, 20)) rec_new(g, "首台套产品", chance(g, 800) ? "省" : "国家", NULL);
    if (chance(g, 8)) rec_new(g, "省级新材料首批次", NULL, NULL);
    /* 13-3-16 国际科技合作基地 */
    if (g->size == SZ_LARGE && chance(g, 15)) rec_new(g, "国际科技合作基地", "省", NULL);
    /* 13-12-64 智能制造试点示范 */
    if (g->size != SZ_SMALL && chance(g, 12)) {
        rec_new(g, "智能制造试点示范项目", chance(g, 850) ? "省" : "国家", NULL);
        set_money(g, F_smart_mfg_investment, ST, span(g, WAN(300), WAN(5000)));
    }
    /* 13-12-66/68/69 两化融合 */
    if (chance(g, 25)) rec_new(g, "两化融合管理体系贯标", NULL, NULL);
    if (chance(g, 15)) rec_new(g, "省上云标杆企业", NULL, NULL);
    if (g->size != SZ_SMALL && chance(g, 15)) {
        static const char *const KINDS[] = {"制造业与互联网融合发展试点示范", "个性化定制示范企业", "网络协同制造示范企业"};
        const char *kind = PICK_STR(g, KINDS);
        rec_new(g, kind, chance(g, 850) ? "省" : "国家", NULL);
    }
    /* 13-8-46/47 工业互联网 */
    if (chance(g, 60)) set_money(g, F_iip_contract, CUR, span(g, WAN(5), WAN(400)));
    if (g->size == SZ_LARGE && chance(g, 30)) rec_new(g, "工业互联网平台", chance(g, 600) ? "市" : "省", NULL);
    if (g->size == SZ_LARGE && chance(g, 5)) rec_new(g, "工业互联网标识解析二级节点", NULL, NULL); /* 13-8-48 */
    /* 13-1-4 科学技术奖 as 第一项目完成单位 */
    if (g->size != SZ_SMALL && chance(g, 12)) {
        static const char *const GRADES[] = {"三等奖", "三等奖", "二等奖", "一等奖"};
        rec_new(g, "科学技术奖", "省", PICK_STR(g, GRADES));
    }
    /* 13-13-72…77 质量、标准 */
    if (chance(g, 20)) rec_new(g, "浙江制造品牌认证", NULL, NULL);
    if (chance(g, by_size(g, 1, 5, 15))) {
        const char *level = chance(g, 800) ? "市" : "省";
        rec_new(g, "政府质量奖", level, chance(g, 700) ? "质量奖" : "提名奖");
    }
    if (chance(g, 8)) rec_new(g, "质量管理创新奖", chance(g, 700) ? "市" : "省", NULL);
    if (chance(g, 15)) rec_new(g, "浙江制造精品", NULL, NULL);
    if (chance(g, 15)) {
        static const char *const GRADES[] = {"一等奖", "二等奖", "三等奖", "三等奖"};
        rec_new(g, "优秀工业新产品", NULL, PICK_STR(g, GRADES));
    }
    if (chance(g, 15)) rec_new(g, "品字标企业", NULL, NULL);
    if (g->size != SZ_SMALL && chance(g, 50)) { /* 13-13-75: every standards fact, most zero */
        set_count(g, F_std_intl_initiated, CUR, chance(g, 50));
        set_count(g, F_std_intl_published, CUR, chance(g, 30));
        set_count(g, F_std_national_initiated, CUR, chance(g, 250) ? uniform(g, 1, 2) : 0);
        set_count(g, F_std_national_published, CUR, chance(g, 200) ? uniform(g, 1, 2) : 0);
        set_count(g, F_std_zjzz_initiated, CUR, chance(g, 500) ? uniform(g, 1, 2) : 0);
        set_count(g, F_std_zjzz_published, CUR, chance(g, 400) ? 1 : 0);
        set_count(g, F_std_industry_initiated, CUR, chance(g, 300) ? uniform(g, 1, 3) : 0);
        set_count(g, F_std_industry_published, CUR, chance(g, 300) ? uniform(g, 1, 2) : 0);
    }
    if (g->size != SZ_SMALL && chance(g, 4)) rec_new(g, "标准创新贡献奖", "省", chance(g, 500) ? "三等奖" : "二等奖");
    if (g->size != SZ_SMALL && chance(g, 10)) rec_new(g, "标准化技术委员会秘书处", chance(g, 700) ? "浙江省TC" : "全国SC", NULL);
    /* 13-14-79…89 知识产权 */
    if (chance(g, by_size(g, 200, 500, 800)))
        set_count(g, F_invention_patents_granted, CUR, g->size == SZ_SMALL ? uniform(g, 1, 4) : g->size == SZ_MEDIUM ? uniform(g, 2, 15) : uniform(g, 10, 80));
    if (chance(g, 30)) rec_new(g, "知识产权管理规范贯标", NULL, NULL);
    if (g->size != SZ_SMALL && chance(g, 8)) rec_new(g, "国家知识产权示范优势企业", chance(g, 700) ? "优势企业" : "示范企业", NULL);
    if (g->corridor && chance(g, 150)) set_count(g, F_pct_grants, CUR, uniform(g, 0, 6));
    if (chance(g, 10)) set_count(g, F_patent_ind_projects_completed, CUR, uniform(g, 1, 2));
    if (chance(g, 5)) set_count(g, F_patent_navigation_projects, CUR, 1);
    if (g->size != SZ_SMALL && chance(g, 6)) rec_new(g, "专利奖", "省", chance(g, 700) ? "优秀奖" : "金奖");
    if (chance(g, 3)) rec_new(g, "中国外观设计奖", NULL, chance(g, 700) ? "优秀奖" : "银奖");
    /* 13-15-90…92 绿色 */
    if (chance(g, by_size(g, 8, 25, 40))) rec_new(g, "绿色工厂", chance(g, 850) ? "省" : "国家", NULL);
    if (chance(g, 8)) rec_new(g, "绿色设计产品", "省", NULL);
    if (g->size != SZ_SMALL && chance(g, 5)) rec_new(g, "绿色供应链", "省", NULL);
    if (chance(g, 15)) {
        int fresh = (int)uniform(g, 0, 2);
        set_count(g, F_green_product_certs, CUR, fresh + uniform(g, 0, 5));
        set_count(g, F_green_product_certs_new, CUR, fresh);
    }
    if (g->size != SZ_SMALL && chance(g, 8)) {
        set_count(g, F_green_std_national, CUR, chance(g, 300));
        set_count(g, F_green_std_industry, CUR, uniform(g, 0, 2));
    }
    /* 13-17-96 税收提档升级: 入库税收 from 3000万/4000万 up, growth against the budget. */
    if (g->tax[1] >= WAN(2500)) {
        set_rate(g, F_budget_growth, CUR, 600);
        set_rate(g, F_tax_local_share, CUR, g->tax[1] ? g->lc[1] * 10000 / g->tax[1] : 0);
    }
    /* 12-17-42/43 服务型制造, 两业融合; 12-15-37 计量示范 */
    if (g->size != SZ_SMALL && chance(g, 15)) {
        if (chance(g, 300)) promoted(g, "服务型制造示范", "省", "国家", NULL, NULL, "12-17-42", "服务型制造示范", WAN(50));
        else rec_new(g, "服务型制造示范", "省", NULL);
    }
    if (g->size != SZ_SMALL && chance(g, 8)) rec_new(g, "两业融合试点", "省", NULL);
    if (g->size == SZ_LARGE && chance(g, 10)) rec_new(g, "全国工业计量标杆示范单位", NULL, NULL);
    if (g->size != SZ_SMALL && chance(g, 5)) rec_new(g, "浙江省能源计量示范工程", NULL, NULL);
    /* 13-16-93 装配式建筑产业示范基地 (building components) */
    if (g->size != SZ_SMALL && chance(g, 6)) rec_new(g, "装配式建筑产业示范基地", "省", NULL);
    /* 13-24-135…137 军民融合 */
    if (chance(g, 5)) {
        set_money(g, F_mil_tech_contract, CUR, span(g, WAN(50), WAN(800)));
        set_bool(g, F_mil_tech_industrialized, CUR, chance(g, 700));
    }
    if (chance(g, 5)) {
        static const char *const CERTS[] = {"武器装备科研生产单位保密资格证", "武器装备科研生产许可证", "装备承制单位资格证"};
        rec_new(g, PICK_STR(g, CERTS), NULL, NULL);
    }
    if (g->size != SZ_SMALL && chance(g, 3)) rec_new(g, "军民融合示范企业", "省", NULL);
    /* 13-20-110…114 in the corridor and for newcomers */
    if (g->corridor && chance(g, 40)) set_date(g, F_gazelle_since, date_in(g, year_from(g, y - 4, y - 1)));
    if (g->corridor && chance(g, 15)) rec_new(g, "创新型领军企业", "省", NULL);
    if (g->corridor && (g->hitech_year || g->tsme) && chance(g, 40)) {
        dc_date conf = date_in(g, year_from(g, y - 3, y - 1));
        set_money(g, F_vc_investment_3y, ST, near(g, WAN(500), 60));
        set_date(g, F_vc_confirmed, conf);
        set_money(g, F_vc_base_contribution, ST, g->lc[0]);
        set_money(g, F_vc_rent_price, CUR, uniform(g, YUAN(15), YUAN(60)));
        set_count(g, F_vc_rent_area, CUR, uniform(g, 200, 3000));
        set_count(g, F_vc_rent_months, CUR, uniform(g, 6, 12));
    }
    if (g->hitech_year && g->hitech_year >= y - 2 && chance(g, 60))
        set_date(g, F_new_project_production_start, date_in(g, year_from(g, g->hitech_year - 2, y)));
    if (g->hitech_year && chance(g, 30)) set_date(g, F_relocated_in, date_in(g, year_from(g, y - 2, y)));
    /* 15-15-4 排污权回购 (15号 covers the whole city) */
    if (chance(g, 8)) set_money(g, F_emission_buyback_approved, CUR, span(g, WAN(5), WAN(200)));
    strategic_industry(g);
    capital_markets(g);
    going_abroad(g);
    if (chance(g, by_size(g, 300, 500, 700))) exporter(g);
}

static void arch_manufacturer(dc_gen *g)
{
    draw_size(g, 680, 250);
    g->industry = "制造业";
    g->district = pick_district(g, false);
    g->corridor = chance(g, DISTRICTS[g->district].corridor_pm);
    g->trading = chance(g, 5);
    registration(g);
    company_name(g);
    frame(g, "企业", "91", !chance(g, 15), false);
    economics(g, 15, 40, WAN(2000));
    programme_manufacturer(g);
}

static bool is(const char *a, const char *b)
{
    return !strcmp(a, b);
}

/* A service firm's frame: 市区-heavy, revenue a multiple of its contribution. */
static void service_frame(dc_gen *g, int small_pm, int medium_pm, int revenue_lo, int revenue_hi)
{
    draw_size(g, small_pm, medium_pm);
    g->district = pick_district(g, false);
    g->corridor = chance(g, DISTRICTS[g->district].corridor_pm);
    registration(g);
    company_name(g);
    frame(g, "企业", "91", true, true);
    economics(g, revenue_lo, revenue_hi, WAN(1000));
}

/* 地方综合贡献度 this year set to last year's plus `delta` (growth items such as 12-16-40). */
static void contribution_growth(dc_gen *g, int64_t delta)
{
    if (!g->lc[0]) return;
    g->lc[1] = g->lc[0] + delta;
    g->tax[1] = pct_of(g->lc[1], 230);
    set_money(g, F_local_contribution, CUR, g->lc[1]);
    set_money(g, F_tax_paid, CUR, g->tax[1]);
}

/* 软件、研发设计、检验检测、孵化、知识产权、咨询、人力资源: 12号 articles 14–18 and 13号 10, 20. */
static void arch_tech(dc_gen *g)
{
    static const dc_weight INDUSTRIES[] = {
        {"软件和信息技术服务", 350}, {"智能制造工程服务", 80}, {"研发设计", 120}, {"创意设计", 100}, {"技术转移", 40},
        {"检验检测认证", 80}, {"创业孵化", 60}, {"知识产权服务", 50}, {"科技咨询", 70}, {"人力资源服务", 50},
    };
    int y = g->year;
    g->industry = PICK(g, INDUSTRIES);
    service_frame(g, 720, 230, 4, 12);
    const char *ind = g->industry;
    science_status(g, 250, 80, 400);
    science_finance(g);
    bool software = is(ind, "软件和信息技术服务");
    if (software || is(ind, "智能制造工程服务")) {
        /* 12-16-40: 地方综合贡献度 up by 50万 or more → half of the increase, at most 100万. */
        if (g->size != SZ_SMALL && chance(g, 350)) contribution_growth(g, span(g, WAN(20), WAN(400)));
        if (y - 1 >= 2020 && g->size != SZ_SMALL && chance(g, 100))
            past_award(g, "12-16-40", NULL, y - 1, y - 2, "市", span(g, WAN(25), WAN(100)), "上年度贡献度增量奖励");
    }
    if (software) {
        /* 12-16-41 新入驻数字经济产业园: rent at up to 20元/m² for up to 20 m² a head. */
        if (chance(g, 200)) {
            set_date(g, F_park_entered, date_in(g, year_from(g, y - 3, y)));
            set_money(g, F_park_rent_price, CUR, uniform(g, YUAN(10), YUAN(40)));
            set_count(g, F_park_rent_area, CUR, uniform(g, 80, 2000));
            set_count(g, F_park_staff, CUR, uniform(g, 4, 120));
            set_count(g, F_park_rent_months, CUR, uniform(g, 3, 12));
        }
        /* 13-10-56 CMMI (三级 10万, 四级 30万 caps on half the fee) */
        if (chance(g, 45)) {
            set_money(g, F_cmmi_fee, CUR, span(g, WAN(8), WAN(80)));
            if (chance(g, 200)) promoted(g, "CMMI认证", "三级", "四级", NULL, NULL, "13-10-56", "CMMI认证", WAN(10));
            else rec_new(g, "CMMI认证", chance(g, 800) ? "三级" : "四级", NULL);
        }
        if (chance(g, 50)) { /* 13-10-57 */
            set_bool(g, F_it_cert_first, CUR, chance(g, 850));
            set_money(g, F_it_cert_fee, CUR, span(g, WAN(2), WAN(40)));
        }
        if (chance(g, 25)) set_count(g, F_first_version_software_new, CUR, uniform(g, 1, 2)); /* 13-10-58 */
        if (g->size != SZ_SMALL && chance(g, 40)) rec_new(g, "省电子信息产业百家重点企业", NULL, NULL);
        if (chance(g, 25)) rec_new(g, "大数据产业发展试点示范项目", chance(g, 850) ? "省" : "国家", NULL);
        if (chance(g, 10)) rec_new(g, "数字经济产业园区", "市", NULL);
        if (chance(g, 120)) { /* 14-16-24 离岸服务外包 */
            set_bool(g, F_outsourcing_registered, ST, chance(g, 850));
            set_count(g, F_offshore_outsourcing_usd, CUR, near(g, 500000, 80));
        }
    }
    /* 12-14-28…31 知名专业性服务机构, new within three years: half the contribution. */
    if (!software && !is(ind, "智能制造工程服务") && g->size != SZ_LARGE && chance(g, 200)) {
        set_bool(g, F_prof_service_certified, ST, chance(g, 850));
        set_date(g, F_prof_service_established, date_in(g, year_from(g, y - 4, y)));
    }
    if (is(ind, "检验检测认证") && chance(g, 30)) rec_new(g, "质检中心", "省", NULL); /* 13-13-71 */
    if (is(ind, "检验检测认证") && chance(g, 250)) { /* 12-15-34 国际检验检测 */
        set_bool(g, F_intl_testing_mutual, ST, chance(g, 800));
        set_money(g, F_intl_testing_new_revenue, CUR, near(g, WAN(20), 80));
        set_money(g, F_intl_testing_new_foreign, CUR, span(g, WAN(10), WAN(500)));
    }
    if (is(ind, "创意设计") || is(ind, "研发设计")) {
        if (chance(g, 60)) { /* 12-7-15 时尚平台 */
            set_bool(g, F_fashion_platform_certified, CUR, chance(g, 800));
            set_money(g, F_fashion_platform_investment, CUR, span(g, WAN(20), WAN(200)));
        }
        if (chance(g, 50)) rec_new(g, "工艺美术大师示范工作室", "省", NULL);             /* 12-6-11 */
        if (chance(g, 25)) rec_new(g, "工艺美术产业化示范基地", "市", NULL);
        if (chance(g, 30)) rec_new(g, "工业设计研究院", chance(g, 850) ? "省" : "国家", NULL); /* 12-7-13 */
        if (chance(g, 40)) rec_new(g, "工业设计中心", chance(g, 700) ? "市" : "省", NULL);
        if (is(ind, "研发设计") && chance(g, 80)) { /* 13-6-36 产业创新服务综合体 */
            static const char *const GRADES[] = {"合格", "良好", "优秀"};
            set_date(g, F_complex_listed_since, date_in(g, year_from(g, y - 3, y)));
            set_enum(g, F_complex_assessment, CUR, PICK_STR(g, GRADES));
        }
    }
    if (is(ind, "创业孵化")) { /* 13-20-115…120 孵化器、众创空间 and their new 高新/科小 */
        set_bool(g, F_incubator_operator, ST, true);
        if (g->corridor) set_bool(g, F_incubator_kc_main_industry, ST, chance(g, 500));
        if (chance(g, 80)) {
            if (chance(g, 150)) promoted(g, "科技企业孵化器", "省", "国家", NULL, NULL, "13-20-116", "科技企业孵化器", WAN(250));
            else rec_new(g, "科技企业孵化器", "省", NULL);
        } else if (chance(g, 300)) {
            rec_old(g, "科技企业孵化器", chance(g, 700) ? "市" : "省", NULL, 2012);
        }
        if (chance(g, 250)) rec_new(g, "众创空间", chance(g, 900) ? "省" : "国家", NULL);
        if (chance(g, 60)) rec_new(g, "双创示范基地", "省", NULL);
        if (chance(g, 700)) {
            set_count(g, F_incubatee_new_hitech, CUR, uniform(g, 0, 6));
            set_count(g, F_incubatee_new_hitech_kc, CUR, g->corridor ? uniform(g, 0, 3) : 0);
            set_count(g, F_incubatee_new_tsme, CUR, uniform(g, 0, 15));
        }
    }
    if (is(ind, "知识产权服务")) { /* 13-14-85…88, 12-15-38 */
        if (chance(g, 80)) {
            set_bool(g, F_ip_mediation_platform, ST, true);
            set_bool(g, F_ip_arbitration_court, ST, false);
            set_count(g, F_ip_mediation_cases, CUR, uniform(g, 0, 60));
            set_count(g, F_ip_arbitration_cases, CUR, 0);
        }
        if (chance(g, 80)) rec_new(g, "知识产权维权中心", chance(g, 850) ? "省" : "国家", NULL);
        if (chance(g, 80)) rec_new(g, "产业知识产权联盟", NULL, NULL);
        if (chance(g, 50)) {
            static const char *const GRADES[] = {"合格", "良好", "优秀"};
            set_bool(g, F_ip_training_base, ST, true);
            set_enum(g, F_ip_training_base_assessment, CUR, PICK_STR(g, GRADES));
        }
        if (chance(g, 40)) rec_new(g, "知识产权服务业集聚发展示范区", NULL, NULL);
        else if (chance(g, 40)) {
            rec_old(g, "知识产权服务业集聚发展示范区", NULL, NULL, y - 3);
            set_bool(g, F_ip_cluster_excellent, CUR, chance(g, 500));
        }
    }
    if (is(ind, "人力资源服务") && chance(g, 60)) rec_new(g, "引才育才基地", "省", NULL); /* 13-3-16 */
    /* 12-17-44 制造业分离新设的生产性服务业企业 */
    if (chance(g, 30)) {
        set_bool(g, F_spinoff_from_manufacturer, ST, true);
        set_date(g, F_spinoff_established, date_in(g, year_from(g, y - 3, y)));
        set_money(g, F_spinoff_transfer_contribution, CUR, chance(g, 300) ? span(g, WAN(10), WAN(300)) : 0);
    }
    if (chance(g, 12)) { /* 12-15-36 服务业标准化试点验收 */
        static const char *const GRADES[] = {"合格", "良好", "优秀"};
        rec_new(g, "服务业标准化试点验收", NULL, PICK_STR(g, GRADES));
    }
    if (chance(g, by_size(g, 10, 60, 200))) { /* 13-2-6 创新载体公共服务 */
        set_bool(g, F_innovation_carrier_certified, ST, true);
        set_money(g, F_innovation_carrier_service, CUR, near(g, WAN(500), 70));
    }
    if (chance(g, 30)) { /* 13-6-40 创新券 */
        set_bool(g, F_city_innovation_carrier, ST, true);
        set_money(g, F_carrier_voucher_redeemed, CUR, span(g, WAN(5), WAN(200)));
    }
    if (y >= 2021 && chance(g, 25)) { /* 13-6-35 市级重点实验室, recognised after 2020-07-14 */
        dc_date d = y == 2021 ? date_in(g, y) : date_in(g, (int)uniform(g, 2021, y));
        rec_on(g, "重点实验室", "市", NULL, d);
        set_date(g, F_city_lab_since, d);
        set_money(g, F_city_lab_grant, ST, near(g, WAN(75), 40));
        set_rate(g, F_city_lab_progress, CUR, uniform(g, 2000, 10000));
    }
    if (chance(g, 12)) rec_new(g, chance(g, 500) ? "重点实验室" : "工程实验室", "省", NULL);
    if (chance(g, 10)) {
        if (chance(g, 200)) promoted(g, "中小企业公共服务示范平台", "省", "国家", NULL, NULL, "13-6-41", "中小企业公共服务示范平台", WAN(30));
        else rec_new(g, "中小企业公共服务示范平台", "省", NULL);
    }
    if (chance(g, 15)) rec_new(g, "省级产业技术联盟", NULL, NULL);
    if (g->corridor && chance(g, 50)) set_date(g, F_gazelle_since, date_in(g, year_from(g, y - 4, y - 1)));
    if (chance(g, 200)) set_count(g, F_invention_patents_granted, CUR, uniform(g, 1, 8));
    if (g->corridor && chance(g, 100)) set_count(g, F_pct_grants, CUR, uniform(g, 0, 4));
    /* 13-18-102 世界温州人家园 服务类 (鹿城) */
    if (g->district == 0 && chance(g, 120)) {
        static const char *const ZONES[] = {"温商回归示范园", "企业综合服务平台", "时尚智造设计中心", "家园其他区域"};
        set_enum(g, F_wz_home_category, ST, "服务类");
        set_enum(g, F_wz_home_zone, ST, PICK_STR(g, ZONES));
        set_date(g, F_wz_home_park_entered, date_in(g, year_from(g, y - 5, y)));
        set_money(g, F_wz_home_rent, CUR, span(g, WAN(10), WAN(120)));
        set_count(g, F_wz_home_execs, CUR, uniform(g, 0, 4));
        set_money(g, F_wz_home_exec_contribution, CUR, span(g, WAN(5), WAN(80)));
    }
    if (chance(g, 200)) exporter(g);
}

/* 养老: 12号 articles 31–32, for firms and 民办非企业单位 alike. */
static void eldercare(dc_gen *g)
{
    int y = g->year;
    bool private_home = chance(g, 800);
    set_bool(g, F_eldercare_private, ST, private_home);
    set_bool(g, F_eldercare_public_built_private_run, ST, !private_home);
    if (chance(g, 400)) { /* 12-32-100/101 新增床位 */
        int64_t owned = chance(g, 500) ? uniform(g, 10, 200) : 0, leased = owned ? 0 : uniform(g, 10, 150);
        set_count(g, F_beds_owned_new, CUR, owned);
        set_count(g, F_beds_owned_nursing, CUR, pct_of(owned, uniform(g, 0, 60)));
        set_count(g, F_beds_leased_new, CUR, leased);
        set_count(g, F_beds_leased_nursing, CUR, pct_of(leased, uniform(g, 0, 60)));
    }
    if (chance(g, 250)) { /* 12-32-99 */
        set_money(g, F_eldercare_new_investment, CUR, near(g, WAN(1000), 60));
        set_count(g, F_eldercare_new_beds, CUR, near(g, 150, 40));
    }
    if (chance(g, 120)) { /* 12-32-102 养老机构星级 */
        if (chance(g, 250)) promoted(g, "养老机构星级", "三星", "四星", NULL, NULL, "12-32-102", "养老机构星级", WAN(9));
        else rec_new(g, "养老机构星级", chance(g, 600) ? "三星" : chance(g, 700) ? "二星" : "四星", NULL);
    }
    if (chance(g, 150)) { /* 12-32-103 */
        set_bool(g, F_nursing_home_licensed, CUR, chance(g, 400));
        set_bool(g, F_clinic_licensed, CUR, chance(g, 700));
    }
    if (chance(g, 200)) { /* 12-31-94 */
        static const char *const STARS[] = {"三星", "四星", "四星", "五星"};
        set_enum(g, F_home_care_stars, ST, PICK_STR(g, STARS));
    }
    if (chance(g, 150)) { /* 12-31-93 居家养老服务照料中心 */
        if (chance(g, 250)) promoted(g, "居家养老服务照料中心", "区级", "市级", NULL, NULL, "12-31-93", "居家养老服务照料中心", WAN(10));
        else rec_new(g, "居家养老服务照料中心", chance(g, 500) ? "标准型" : "区级", NULL);
    }
    if (chance(g, 250)) { /* 12-31-95 助餐点 */
        set_count(g, F_meal_point_months, CUR, uniform(g, 3, 12));
        set_count(g, F_meal_point_daily, CUR, near(g, 20, 60));
    }
    if (chance(g, 300)) set_count(g, F_gov_purchase_clients, CUR, uniform(g, 20, 800)); /* 12-31-96 */
    if (chance(g, 100)) set_money(g, F_eldercare_town_investment, CUR, span(g, WAN(20), WAN(200)));
    if (chance(g, 100)) set_money(g, F_eldercare_park_investment, CUR, span(g, WAN(10), WAN(150)));
    (void)y;
}

/* 体育: 12号 articles 29–30. */
static void sports(dc_gen *g, bool organisation)
{
    int y = g->year;
    if (organisation) {
        static const char *const GRADES[] = {"AAA", "AAAA", "AAAA", "AAAAA"};
        set_enum(g, F_sports_org_grade, ST, PICK_STR(g, GRADES));
        set_bool(g, F_sports_org_top10, CUR, chance(g, 300));
        if (chance(g, 200)) { /* 12-29-83 */
            set_bool(g, F_sports_school_nonprofit, ST, true);
            set_money(g, F_sports_school_loan, CUR, span(g, WAN(200), WAN(3000)));
            lpr(g);
        }
        if (chance(g, 200)) { /* 12-30-88 后备人才基地 */
            static const char *const TYPES[] = {"单项", "高水平", "重点高水平"};
            static const char *const LEVELS[] = {"市", "省", "省", "国家"};
            set_enum(g, F_reserve_base_type, ST, PICK_STR(g, TYPES));
            set_enum(g, F_reserve_base_level, ST, PICK_STR(g, LEVELS));
            set_date(g, F_reserve_base_since, date_in(g, year_from(g, y - 5, y)));
        }
        return;
    }
    if (chance(g, 100)) set_date(g, F_sports_demo_since, date_in(g, year_from(g, y - 3, y))); /* 12-30-90 */
    static const char *const BRANDS[] = {
        "国家体育产业示范单位", "国家体育产业示范项目", "全国水上国民休闲运动中心", "全国水上运动俱乐部", "国家航空飞行营地",
        "航空运动俱乐部", "省级运动休闲旅游示范基地", "省级运动休闲旅游精品线路", "省级运动休闲旅游优秀项目",
        "省级运动休闲旅游优秀项目", "省级运动休闲旅游示范基地", "省级运动休闲旅游精品线路",
    };
    if (chance(g, 250)) rec_new(g, PICK_STR(g, BRANDS), NULL, NULL); /* 12-30-84…87 */
}

/* 文化、影视、广告: 12号 articles 8–9 and 26–27; 文化出口 (14-16-25). */
static void culture(dc_gen *g)
{
    int y = g->year;
    const char *ind = g->industry;
    if (chance(g, 60)) { /* 12-26-68 */
        static const char *const KINDS[] = {"省级重点文化企业", "创新型数字文化企业", "成长型文化企业", "成长型文化企业"};
        rec_new(g, PICK_STR(g, KINDS), NULL, NULL);
    }
    if (chance(g, 60)) { /* 12-26-69 贴息 for new 重点/成长型 culture firms */
        set_date(g, F_culture_enterprise_since, date_in(g, year_from(g, y - 2, y)));
        set_money(g, F_culture_loan, PREV, span(g, WAN(50), WAN(800)));
        lpr(g);
    }
    if (chance(g, 100)) { /* 12-26-73 市外重点文化节展 */
        set_bool(g, F_culture_fair_joined, CUR, chance(g, 850));
        set_money(g, F_culture_fair_cost, CUR, span(g, WAN(1), WAN(20)));
    }
    if (chance(g, 30)) {
        set_bool(g, F_park_single_operator, ST, chance(g, 800));
        if (chance(g, 500)) rec_new(g, "文化产业示范基地", "省", NULL);
        else rec_new(g, chance(g, 500) ? "重点文化产业园区" : "文化创意街区", NULL, NULL);
    }
    if (g->size != SZ_SMALL && chance(g, 20)) rec_new(g, "全国文化企业30强", chance(g, 600) ? "提名" : "获评", NULL);
    if (chance(g, 20)) { /* 14-16-25 文化出口重点企业 within three years */
        dc_date d = date_in(g, year_from(g, y - 3, y));
        rec_on(g, "文化出口重点企业", chance(g, 800) ? "省" : "国家", NULL, d);
        set_date(g, F_culture_export_since, d);
    }
    if (chance(g, 8)) rec_new(g, "服务贸易发展基地", "省", NULL);
    if (is(ind, "影视")) { /* 12-27-74…77 */
        if (chance(g, 150)) set_count(g, F_tv_premiere_episodes, CUR, uniform(g, 10, 45));
        if (chance(g, 150)) { /* 12-27-75: the film, premiered this year, is the project */
            rec_new(g, "院线电影", NULL, NULL);
            set_money(g, F_film_box_office, CUR, span(g, WAN(1000), YI(2)));
        }
        if (chance(g, 150)) /* 12-27-76: each work certified is its own project */
            for (int i = 0, n = (int)uniform(g, 1, 3); i < n; i++) rec_on_nth(g, "视频平台年度前10作品", NULL, NULL, date_in(g, g->year), i);
        if (chance(g, 150)) {
            int64_t inv = near(g, WAN(300), 70);
            set_money(g, F_film_fixed_investment, CUR, inv);
            set_money(g, F_film_self_held, CUR, pct_of(inv, uniform(g, 30, 100)));
            set_date(g, F_film_project_certified_on, date_in(g, year_from(g, g->year - 3, g->year)));
        }
    }
    if (is(ind, "演艺") && chance(g, 300)) { /* 12-27-78 音乐节 */
        set_bool(g, F_music_event_certified, CUR, chance(g, 800));
        set_money(g, F_music_box_office, CUR, span(g, WAN(50), WAN(3000)));
    }
    if (is(ind, "广告")) {
        static const char *const LEVELS[] = {"省", "省", "国家", "国际"};
        static const char *const GRADES[] = {"三等", "二等", "一等"};
        if (chance(g, 120)) { /* 12-9-18 */
            const char *level = PICK_STR(g, LEVELS);
            rec_new(g, "广告奖", level, PICK_STR(g, GRADES));
        }
        if (chance(g, 8)) rec_new(g, "广告产业园区", "国家", NULL);                        /* 12-9-19 */
    }
}

/* 银行、保险、证券、基金: 12号 articles 1–3; 世界温州人家园 (12-2-4, 13-18-103). */
static void finance(dc_gen *g)
{
    int y = g->year;
    const char *ind = g->industry;
    if (!is(ind, "基金管理") && !is(ind, "产业基金")) {
        bool branch = chance(g, 250), hq = !branch && chance(g, 40);
        set_bool(g, F_fin_is_first_branch, ST, branch);
        set_bool(g, F_fin_is_hq, ST, hq);
        if (branch) { /* 12-1-2 一级分行、分支机构 in its first two years */
            set_date(g, F_fin_opened, date_in(g, year_from(g, y - 2, y)));
        } else if (hq) { /* 12-1-1 总部金融机构 */
            set_date(g, F_fin_opened, date_in(g, year_from(g, y - 4, y)));
            set_money(g, F_paid_in_capital, ST, near(g, YI(1), 80));
            set_money(g, F_fin_exec_contribution, CUR, span(g, WAN(10), WAN(150)));
        }
        return;
    }
    if (is(ind, "基金管理")) { /* 12-3-5/6 */
        set_bool(g, F_fund_registered, ST, chance(g, 850));
        if (chance(g, 500)) contribution_growth(g, span(g, WAN(30), WAN(300)));
        set_money(g, F_fund_exit_contribution, CUR, chance(g, 300) ? span(g, WAN(10), WAN(500)) : 0);
        int64_t talents = chance(g, 300) ? uniform(g, 1, 6) : 0;
        set_count(g, F_fund_talents, CUR, talents);
        if (talents) set_money(g, F_fund_talent_contribution, CUR, span(g, WAN(5), WAN(100)));
        if (g->corridor) set_money(g, F_kc_fund_exit_contribution, CUR, span(g, WAN(10), WAN(300)));
    }
    if (chance(g, 150)) { /* 12-2-3 政府产业基金合作对象 */
        set_bool(g, F_gov_fund_partner, ST, true);
        set_date(g, F_gov_fund_partner_since, date_in(g, year_from(g, y - 6, y)));
        set_money(g, F_office_rent, CUR, span(g, WAN(3), WAN(20)));
    }
    if (g->district == 0 && chance(g, 200)) { /* 12-2-4, 13-18-103 落户世界温州人家园 */
        static const char *const ZONES[] = {"温商回归示范园", "企业综合服务平台", "时尚智造设计中心", "家园其他区域"};
        dc_date in = date_in(g, year_from(g, y - 4, y));
        set_date(g, F_wz_home_park_entered, in);
        set_bool(g, F_forum_certified, CUR, chance(g, 200));
        set_money(g, F_forum_expense, CUR, span(g, WAN(5), WAN(100)));
        set_enum(g, F_wz_home_category, ST, "基金类");
        set_enum(g, F_wz_home_zone, ST, PICK_STR(g, ZONES));
        set_money(g, F_wz_home_rent, CUR, span(g, WAN(10), WAN(80)));
        set_count(g, F_wz_home_execs, CUR, uniform(g, 0, 3));
        set_money(g, F_wz_home_exec_contribution, CUR, span(g, WAN(5), WAN(60)));
        if (chance(g, 600)) set_date(g, F_wz_fund_profit_since, date_in(g, year_from(g, in.y, y)));
    }
}

/* 其他服务业: 物流、电商、会展、旅游、酒店、体育、养老、停车、文化、金融 (12号 and parts of 14号). */
static void arch_service(dc_gen *g)
{
    static const dc_weight INDUSTRIES[] = {
        {"物流", 140}, {"电子商务", 140}, {"会展", 30}, {"文化", 60}, {"出版发行", 15}, {"影视", 40}, {"演艺", 25},
        {"动漫游戏", 20}, {"广告", 50}, {"旅行社", 55}, {"旅游景区", 30}, {"酒店餐饮", 100}, {"体育", 40}, {"养老", 40},
        {"停车服务", 20}, {"银行", 20}, {"保险", 12}, {"证券", 8}, {"期货", 3}, {"金融租赁", 3}, {"金融资产管理", 3},
        {"基金管理", 40}, {"产业基金", 10}, {"其他", 80},
    };
    int y = g->year;
    g->industry = PICK(g, INDUSTRIES);
    const char *ind = g->industry;
    bool travel = is(ind, "旅行社");
    if (travel && chance(g, 300)) { /* agencies elsewhere that send visitors to Wenzhou (12-12-25) */
        draw_size(g, 700, 250);
        g->district = OUTSIDE;
        registration(g);
        company_name(g);
        frame(g, "企业", "91", true, true);
        economics(g, 5, 20, WAN(1000));
    } else {
        service_frame(g, 700, 240, 5, 20);
    }
    if (travel) { /* 12-12-25: every visitor fact of the item */
        bool local = urban(g), outside = g->district == OUTSIDE;
        set_count(g, F_travel_overnight, CUR, local ? near(g, 5000, 90) : 0);
        set_count(g, F_travel_inbound, CUR, local && chance(g, 300) ? near(g, 800, 80) : 0);
        set_count(g, F_travel_study_tour, CUR, local && chance(g, 300) ? near(g, 3000, 80) : 0);
        set_count(g, F_travel_send_volume, CUR, outside ? near(g, 5000, 80) : 0);
        set_count(g, F_travel_send_rank, CUR, outside ? uniform(g, 1, 25) : 0);
        set_count(g, F_travel_inbound_volume, CUR, outside && chance(g, 300) ? near(g, 500, 80) : 0);
        set_count(g, F_travel_inbound_rank, CUR, outside && chance(g, 300) ? uniform(g, 1, 10) : 0);
    } else if (is(ind, "物流")) {
        if (chance(g, 60)) { /* 12-21-51 A级物流企业 */
            if (chance(g, 300)) promoted(g, "A级物流企业", "AAA", "AAAA", NULL, NULL, "12-21-51", "A级物流企业", WAN(15));
            else rec_new(g, "A级物流企业", chance(g, 700) ? "AAA" : "AAAA", NULL);
        }
        if (chance(g, 80)) { /* 12-21-52 物流信息化 */
            int64_t inv = near(g, WAN(100), 80);
            set_bool(g, F_logistics_it_certified, CUR, chance(g, 850));
            set_date(g, F_logistics_it_certified_on, date_in(g, g->year));
            set_money(g, F_logistics_it_investment, CUR, inv);
            set_money(g, F_logistics_it_software, CUR, pct_of(inv, uniform(g, 10, 50)));
        }
        if (chance(g, 150)) set_money(g, F_logistics_equipment, CUR, near(g, WAN(200), 70)); /* 12-21-53 */
        if (chance(g, 20)) { /* 12-21-54 在建重大物流项目 */
            int64_t total = span(g, WAN(5000), YI(5));
            set_bool(g, F_logistics_major_listed, CUR, true);
            set_date(g, F_logistics_major_listed_on, date_in(g, year_from(g, g->year - 2, g->year)));
            set_money(g, F_logistics_major_total, ST, total);
            set_money(g, F_logistics_major_done, CUR, pct_of(total, uniform(g, 15, 70)));
        }
        if (chance(g, 100)) { /* 14-11-16 跨境电商物流 */
            int64_t fee0 = span(g, WAN(20), WAN(2000));
            set_bool(g, F_cbec_logistics, ST, true);
            set_money(g, F_intl_logistics_fee, PREV, fee0);
            set_money(g, F_intl_logistics_fee, CUR, grow(g, fee0));
        }
    } else if (is(ind, "电子商务")) {
        if (chance(g, 400)) { /* 12-22-58 */
            set_money(g, F_b2c_sales, CUR, span(g, WAN(100), WAN(5000)));
            set_money(g, F_b2b_sales, CUR, chance(g, 300) ? span(g, WAN(1000), YI(3)) : 0);
            set_bool(g, F_ec_demo_base, CUR, chance(g, 200));
        }
        if (chance(g, 50)) { /* 12-22-59 电商平台 */
            set_bool(g, F_ec_platform_listed, CUR, true);
            set_money(g, F_platform_b2c_gmv, CUR, near(g, WAN(5000), 80));
            set_money(g, F_platform_b2b_gmv, CUR, chance(g, 300) ? span(g, YI(1), YI(20)) : 0);
            set_bool(g, F_ec_demo_base, CUR, chance(g, 200));
        }
        if (chance(g, 25)) rec_new(g, "电商平台认定", chance(g, 850) ? "省" : "国家", NULL);
        if (chance(g, 12)) rec_new(g, "电子商务产业基地", chance(g, 850) ? "省" : "国家", NULL);
        if (chance(g, 20)) { /* 12-22-55 知名电商平台分支机构 */
            set_bool(g, F_ecplat_branch_certified, CUR, true);
            set_count(g, F_ecplat_branch_area, CUR, uniform(g, 300, 3000));
            set_money(g, F_ecplat_branch_rent, CUR, span(g, WAN(5), WAN(80)));
        }
        if (chance(g, 15)) { /* 14-11-15 公共海外仓 */
            rec_new(g, "跨境电商公共海外仓试点", "市", NULL);
            set_bool(g, F_warehouse_belt_road, ST, chance(g, 400));
        }
        if (chance(g, 200)) exporter(g);
    } else if (is(ind, "会展")) {
        if (chance(g, 600)) { /* 12-20-49 */
            set_bool(g, F_expo_in_city, CUR, true);
            set_count(g, F_expo_days, CUR, uniform(g, 2, 5));
            set_count(g, F_expo_area, CUR, near(g, 25000, 60));
            set_rate(g, F_expo_foreign_share, CUR, uniform(g, 0, 2500));
        }
        if (chance(g, 100)) rec_new(g, chance(g, 500) ? "UFI认证会展企业" : "UFI认证展览项目", NULL, NULL); /* 12-20-50 */
    } else if (is(ind, "旅游景区")) {
        if (chance(g, 150)) rec_new(g, "A级旅游景区", chance(g, 900) ? "AAAA" : "AAAAA", NULL); /* 12-11-21 */
        else rec_old(g, "A级旅游景区", "AAA", NULL, 2010);
        if (chance(g, 40)) rec_new(g, chance(g, 500) ? "旅游度假区" : "旅游风情小镇", "省", NULL);
        if (chance(g, 400)) { /* 12-11-24 景区演艺: shows, length and takings each near their floor */
            set_bool(g, F_perf_certified, CUR, chance(g, 850));
            set_date(g, F_perf_certified_on, date_in(g, year_from(g, g->year - 2, g->year)));
            set_count(g, F_perf_shows, CUR, near(g, 120, 30));
            set_count(g, F_perf_min_minutes, CUR, near(g, 48, 25));
            set_money(g, F_perf_min_ticket, CUR, near(g, YUAN(6000), 40));
        }
    } else if (is(ind, "酒店餐饮")) {
        if (chance(g, 20)) rec_new(g, "老字号", "省", NULL); /* 12-23-61 */
        else if (chance(g, 40)) {
            rec_old(g, "老字号", "省", NULL, 2008);
            if (chance(g, 300)) { /* 12-26-73 */
                set_bool(g, F_culture_fair_joined, CUR, true);
                set_money(g, F_culture_fair_cost, CUR, span(g, WAN(1), WAN(10)));
            }
        }
        if (chance(g, 250)) { /* 12-23-62 限上住宿餐饮 */
            int64_t r0 = near(g, WAN(3000), 60);
            set_bool(g, F_above_quota_trade, CUR, true);
            set_money(g, F_retail_sales, PREV, r0);
            set_money(g, F_retail_sales, CUR, grow(g, r0));
        }
    } else if (is(ind, "体育")) {
        sports(g, false);
    } else if (is(ind, "养老")) {
        eldercare(g);
    } else if (is(ind, "停车服务")) {
        if (chance(g, 400)) { /* 12-25-66 公共停车场 */
            set_bool(g, F_state_owned_investment, ST, chance(g, 200));
            set_bool(g, F_parking_certified, CUR, chance(g, 850));
            set_count(g, F_parking_spaces_lift, CUR, chance(g, 500) ? uniform(g, 5, 80) : 0);
            set_count(g, F_parking_spaces_above, CUR, chance(g, 400) ? uniform(g, 5, 120) : 0);
            set_count(g, F_parking_spaces_under, CUR, chance(g, 400) ? uniform(g, 5, 200) : 0);
        }
    } else if (is(ind, "文化") || is(ind, "出版发行") || is(ind, "影视") || is(ind, "演艺") || is(ind, "动漫游戏") ||
               is(ind, "广告")) {
        culture(g);
    } else if (is(ind, "其他")) {
        if (g->district == 0 && chance(g, 150)) { /* 13-18-100 世界温州人家园 总部类 */
            static const char *const ZONES[] = {"温商回归示范园", "企业综合服务平台", "时尚智造设计中心", "家园其他区域"};
            set_enum(g, F_wz_home_category, ST, "总部类");
            set_enum(g, F_wz_home_zone, ST, PICK_STR(g, ZONES));
            set_date(g, F_wz_home_park_entered, date_in(g, year_from(g, y - 5, y)));
            set_money(g, F_wz_home_rent, CUR, span(g, WAN(20), WAN(150)));
            set_count(g, F_wz_home_execs, CUR, uniform(g, 0, 6));
            set_money(g, F_wz_home_exec_contribution, CUR, span(g, WAN(10), WAN(100)));
        }
        if (chance(g, 30)) {
            if (chance(g, 500)) rec_new(g, "服务业集聚示范区", "省", NULL); /* 12-18-46 */
            else rec_new(g, "现代服务业集聚区", "市", NULL);
        }
    } else {
        finance(g);
    }
    if (chance(g, 8)) {
        static const char *const GRADES[] = {"合格", "良好", "优秀"};
        rec_new(g, "服务业标准化试点验收", NULL, PICK_STR(g, GRADES)); /* 12-15-36 */
    }
}

/* 批发零售、汽车、成品油: 商贸 (12号 articles 19–23), 进口与外贸 (14号 articles 12–17), 再生资源 (15号 19). */
static void arch_trade(dc_gen *g)
{
    static const dc_weight INDUSTRIES[] = {{"批发零售", 700}, {"汽车销售", 200}, {"石油及制品销售", 100}};
    int y = g->year;
    g->industry = PICK(g, INDUSTRIES);
    g->trading = chance(g, 850);
    draw_size(g, 700, 250);
    g->district = pick_district(g, false);
    registration(g);
    company_name(g);
    frame(g, "企业", "91", true, true);
    economics(g, 20, 60, WAN(2000));
    if (chance(g, 400)) { /* 12-23-62 限上商贸 零售额增长 */
        int64_t r0 = money_by_size(g, WAN(800), WAN(6000), WAN(3000), YI(3), YI(1), YI(20));
        set_bool(g, F_above_quota_trade, CUR, chance(g, 900));
        set_money(g, F_retail_sales, PREV, r0);
        set_money(g, F_retail_sales, CUR, grow(g, r0));
    }
    if (is(g->industry, "批发零售") && chance(g, 40)) { /* 12-19-48 新零售标杆 */
        list_row(g, "新零售企业名录", year_from(g, y - 1, y));
        set_count(g, F_newretail_stores, CUR, near(g, 20, 60));
        set_money(g, F_online_sales, CUR, near(g, WAN(2000), 70));
    }
    if (chance(g, 150)) { /* 12-22-58 */
        set_money(g, F_b2c_sales, CUR, span(g, WAN(100), WAN(3000)));
        set_money(g, F_b2b_sales, CUR, chance(g, 300) ? span(g, WAN(1000), YI(2)) : 0);
        set_bool(g, F_ec_demo_base, CUR, chance(g, 200));
    }
    if (chance(g, 15)) rec_new(g, "老字号", "省", NULL);
    if (chance(g, 5)) rec_new(g, "著名商业街区", "省", NULL);
    if (chance(g, 10)) { /* 14-14-22 进口商品市场、进口龙头 */
        set_bool(g, F_import_market_certified, CUR, chance(g, 500));
        set_money(g, F_import_market_total, CUR, span(g, YI(2), YI(30)));
        set_bool(g, F_import_national_agent, CUR, chance(g, 500));
        set_money(g, F_import_leader_sales, CUR, span(g, WAN(1000), YI(2)));
    }
    if (chance(g, 40)) { /* 14-15-23 指定口岸进口: every fact of the item */
        bool port = chance(g, 700), boxes = chance(g, 400);
        set_count(g, F_port_import_usd, CUR, port ? span(g, 100000, 8000000) : 0);
        set_count(g, F_port_big_boxes, CUR, boxes ? uniform(g, 1, 200) : 0);
        set_count(g, F_port_small_boxes, CUR, boxes ? uniform(g, 0, 100) : 0);
        set_count(g, F_port_cold_big_boxes, CUR, boxes && chance(g, 300) ? uniform(g, 1, 50) : 0);
        set_count(g, F_port_cold_small_boxes, CUR, 0);
        set_count(g, F_port_air_kg_asia, CUR, chance(g, 100) ? uniform(g, 1000, 50000) : 0);
        set_count(g, F_port_air_kg_other, CUR, 0);
    }
    if (chance(g, 400)) exporter(g);
    if (chance(g, 8)) {
        if (chance(g, 300)) promoted(g, "外贸转型升级基地", "市", "省", NULL, NULL, "14-13-19", "外贸转型升级基地", WAN(30));
        else rec_new(g, "外贸转型升级基地", "市", NULL);
    }
    if (urban(g) && chance(g, 50)) { /* 15-19-1…3 再生资源回收 (供销社系统) */
        set_bool(g, F_supply_coop_system, ST, chance(g, 600));
        set_bool(g, F_supply_coop_business, ST, chance(g, 300));
        set_bool(g, F_recycling_point_qualified, CUR, chance(g, 850));
        set_money(g, F_recycling_point_investment, CUR, near(g, WAN(10), 70));
        bool sorting = chance(g, 400), platform = chance(g, 300);
        set_bool(g, F_sorting_center_new, CUR, sorting);
        set_money(g, F_sorting_center_investment, CUR, sorting ? near(g, WAN(50), 60) : 0);
        set_bool(g, F_recycling_platform_project, CUR, platform);
        set_money(g, F_recycling_platform_investment, CUR, platform ? near(g, WAN(20), 60) : 0);
    }
}

/* 外商投资企业: 14号 articles 1–2 (外资项目、人才、新引进、投资性公司), with the manufacturing
 * programme for the manufacturers among them. */
static void arch_foreign(dc_gen *g)
{
    static const dc_weight INDUSTRIES[] = {{"制造业", 700}, {"批发零售", 100}, {"软件和信息技术服务", 100}, {"物流", 50}, {"其他", 50}};
    int y = g->year;
    bool holding = chance(g, 40);
    g->industry = holding ? "其他" : PICK(g, INDUSTRIES);
    bool mfg = is(g->industry, "制造业");
    draw_size(g, 450, 380);
    g->district = pick_district(g, false);
    g->corridor = chance(g, DISTRICTS[g->district].corridor_pm);
    g->trading = is(g->industry, "批发零售") && chance(g, 500);
    registration(g);
    if (holding) g->registered = date_in(g, y); /* 14-2-5: in its first year */
    company_name(g);
    frame(g, "企业", "91", true, !mfg);
    economics(g, mfg ? 15 : 6, mfg ? 40 : 25, mfg ? WAN(2000) : WAN(1000));
    bool g500 = chance(g, 80);
    set_bool(g, F_global500, ST, g500);
    set_bool(g, F_unicorn, ST, chance(g, 20));
    if (holding) {
        set_bool(g, F_fdi_holding_company, ST, true);
        set_count(g, F_fdi_year_usd, CUR, span(g, 1000000, 20000000));
        return;
    }
    set_bool(g, F_fdi_holding_company, ST, false);
    if (mfg) programme_manufacturer(g);
    else science_status(g, 150, 50, 150);
    bool sector = chance(g, mfg ? 550 : 250);
    set_bool(g, F_fdi_project_sector, ST, sector);
    if (sector) { /* 14-1-1 新增外资产业项目, 14-1-2 人才奖励 */
        set_money(g, F_fdi_project_investment, ST, near(g, YI(3), 70));
        set_count(g, F_fdi_project_usd, ST, near(g, 10000000, 70));
        set_date(g, F_fdi_production_start, date_in(g, year_from(g, y - 6, y)));
        set_money(g, F_fdi_project_contribution, CUR, pct_of(g->lc[1], uniform(g, 30, 90)));
        set_count(g, F_fdi_first2y_usd, ST, near(g, g500 ? 10000000 : 20000000, 60));
        set_money(g, F_talent_band1, CUR, span(g, WAN(10), WAN(200)));
        set_money(g, F_talent_band2, CUR, span(g, WAN(10), WAN(300)));
        set_money(g, F_talent_band3, CUR, chance(g, 500) ? span(g, WAN(5), WAN(200)) : 0);
    }
    bool fresh_project = chance(g, 250);
    set_bool(g, F_fdi_new_project, CUR, fresh_project);
    if (fresh_project) { /* 14-2-3/4 当年新引进外资项目 */
        set_count(g, F_fdi_total_usd, ST, span(g, 30000000, 500000000));
        set_count(g, F_fdi_year_usd, CUR, near(g, 10000000, 70));
    }
    if (!mfg && chance(g, 300)) exporter(g);
}

/* 农业: 农业企业、粮油企业、农民专业合作社、家庭农场、村集体 — 15号 articles 1–11 and 18. */
static void arch_agri(dc_gen *g)
{
    static const char *const PRODUCTS[] = {"杨梅", "瓯柑", "茶叶", "果蔬", "水产养殖", "粮食", "蔬菜", "花卉", "生猪", "食用菌"};
    enum { FIRM, COOP, FARM, VILLAGE } kind;
    int y = g->year, r = (int)uniform(g, 0, 999);
    kind = r < 450 ? FIRM : r < 750 ? COOP : r < 900 ? FARM : VILLAGE;
    bool grain = kind == FIRM && chance(g, 250);
    g->industry = "农业";
    g->city_level = grain && chance(g, 600);
    if (kind == FIRM) draw_size(g, 750, 200);
    else g->size = SZ_SMALL;
    g->district = g->city_level ? (int)uniform(g, 0, 2) : pick_district(g, true);
    registration(g);
    char zh[16];
    zihao(g, zh, sizeof zh);
    const char *product = PICK_STR(g, PRODUCTS);
    if (kind == FIRM) {
        snprintf(g->name, sizeof g->name, "温州%s%s有限公司", zh, grain ? (chance(g, 500) ? "粮油" : "粮食") : industry_word(g, "农业"));
        frame(g, "企业", "91", true, false);
    } else if (kind == COOP) {
        snprintf(g->name, sizeof g->name, "%s%s%s专业合作社", place(g), zh, product);
        frame(g, "企业", "93", true, false);
    } else if (kind == FARM) {
        snprintf(g->name, sizeof g->name, "%s%s家庭农场", place(g), zh);
        frame(g, "企业", "92", false, false);
    } else {
        snprintf(g->name, sizeof g->name, "%s%s村股份经济合作社", place(g), zh);
        frame(g, "村集体经济组织", "N2", true, false);
    }
    economics(g, 5, 20, WAN(2000));
    set_bool(g, F_city_level_entity, ST, g->city_level);
    if (chance(g, 80)) rec_new(g, "瓯越鲜风品牌授权", NULL, NULL); /* 15-1-2 */
    if (chance(g, 50)) { /* 15-2-1 “瓯越鲜风”门店 */
        static const char *const TYPES[] = {"专营店", "专营店", "形象店", "专营柜"};
        set_enum(g, F_oyxf_outlet_type, ST, PICK_STR(g, TYPES));
        set_count(g, F_oyxf_outlet_area, ST, near(g, 30, 60));
        set_date(g, F_oyxf_outlet_opened, date_in(g, year_from(g, y - 3, y)));
        set_bool(g, F_oyxf_outlet_operating, CUR, chance(g, 900));
    }
    if (chance(g, 150)) rec_old(g, "农业品牌目录", "省", NULL, 2015);
    else if (chance(g, 40)) rec_new(g, "农业品牌目录", chance(g, 850) ? "省" : "国家", NULL); /* 15-6-1 */
    if (kind != VILLAGE && chance(g, 200)) set_date(g, F_green_food_since, date_in(g, year_from(g, 2005, y - 1))); /* 15-6-4 */
    if (kind == COOP) {
        bool body = chance(g, 300); /* 15-2-2 供销新项目 of a 基层供销合作社 */
        set_bool(g, F_supply_coop_body, ST, body);
        if (body) {
            set_money(g, F_supply_project_investment, CUR, near(g, WAN(30), 70));
            set_date(g, F_supply_project_completed, date_in(g, y)); /* the project's identity (附则3) */
        }
        if (chance(g, 60)) rec_new(g, "示范性农民专业合作社", "省", NULL); /* 15-6-8 */
        else if (chance(g, 8)) promoted(g, "示范性农民专业合作社", "省", "国家", NULL, NULL, "15-6-8", "示范性农民专业合作社", WAN(5));
        else if (chance(g, 100)) rec_old(g, "示范性农民专业合作社", "市", NULL, 2012);
    } else if (kind == FARM) {
        if (chance(g, 80)) rec_new(g, "示范性家庭农场", "省", NULL); /* 15-6-10 */
        else if (chance(g, 100)) rec_old(g, "示范性家庭农场", "市", NULL, 2014);
    } else if (kind == VILLAGE) {
        if (chance(g, 60)) rec_new(g, "一村一品示范村镇", NULL, NULL);        /* 15-6-5 */
        if (chance(g, 120)) rec_new(g, "市级示范性民宿集聚村", NULL, NULL);   /* 15-11-2 */
        if (!urban(g) && chance(g, 600)) set_count(g, F_public_forest_area, CUR, span(g, 100, 20000)); /* 15-18-1 */
        return;
    }
    if (kind != FIRM) return;
    if (urban(g) && chance(g, 40)) { /* 15-2-3/4 承担供销社业务 */
        static const char *const TYPES[] = {"经营网络", "电子商务", "农产品加工", "农批市场"};
        set_bool(g, F_supply_coop_business, ST, true);
        set_bool(g, F_supply_coop_body, ST, false);
        set_enum(g, F_supply_project_type, ST, PICK_STR(g, TYPES));
        set_money(g, F_supply_project_investment, CUR, span(g, WAN(10), WAN(400)));
        set_date(g, F_supply_project_completed, date_in(g, y));
        set_bool(g, F_supply_project_provincial_model, CUR, chance(g, 200));
    }
    if (urban(g) && chance(g, 40)) { /* 15-3-1 农信担保 */
        set_bool(g, F_agri_guarantee_company, ST, true);
        set_money(g, F_agri_guarantee_volume, CUR, span(g, WAN(500), YI(5)));
    }
    if (chance(g, 8)) { /* 15-4-1 农合联资产经营公司 */
        set_bool(g, F_nonghelian_asset_company, ST, true);
        set_bool(g, F_nonghelian, ST, false);
        set_money(g, F_nonghelian_project_investment, CUR, near(g, WAN(100), 60));
        set_date(g, F_nonghelian_project_completed, date_in(g, y));
    }
    if (chance(g, 15)) { /* 15-5-2/3 新品种: each variety is a recognition named by the variety */
        if (chance(g, 300)) rec_new(g, "国家级新品种", NULL, NULL);
        for (int i = 0, n = (int)uniform(g, 0, 2); i < n; i++) rec_on_nth(g, "省级新品种", NULL, NULL, date_in(g, g->year), i);
    }
    if (g->size != SZ_SMALL && chance(g, 40)) { /* 15-5-4 */
        rec_new(g, "省级重点农业企业研究院", NULL, NULL);
        set_money(g, F_agri_institute_prov_subsidy, ST, span(g, WAN(50), WAN(300)));
    }
    /* 15-6-6/7 农业龙头企业: 市/区 held; 省 new; 省 → 国家 (20万 paid); 销售产值 首次达 1亿/5亿. */
    bool leader = false;
    if (chance(g, by_size(g, 30, 60, 80))) {
        leader = true;
        if (chance(g, 150)) promoted(g, "农业龙头企业", "省", "国家", NULL, NULL, "15-6-6", "农业龙头企业", WAN(20));
        else rec_new(g, "农业龙头企业", "省", NULL);
    } else if (chance(g, by_size(g, 150, 400, 600))) {
        leader = true;
        rec_old(g, "农业龙头企业", chance(g, 600) ? "市" : "区", NULL, 2008);
    }
    if (leader || grain) {
        int64_t target = grain && g->size == SZ_SMALL ? WAN(5000) : g->size == SZ_LARGE ? YI(5) : YI(1);
        int64_t max0 = pct_of(target, uniform(g, 60, 99)), now = near(g, target, 30);
        set_money(g, F_sales_output, PREV, max0);
        set_money(g, F_sales_output, CUR, now);
        set_money(g, F_sales_output_prior_max, CUR, chance(g, 800) ? max0 : pct_of(target, uniform(g, 100, 120)));
    }
    if (!grain) return;
    set_bool(g, F_grain_enterprise, ST, true);
    if (urban(g) && chance(g, 150)) { /* 15-7-1 */
        set_money(g, F_grain_newbiz_investment, CUR, near(g, WAN(100), 60));
        set_date(g, F_grain_newbiz_completed, date_in(g, y));
    }
    if (chance(g, 50)) rec_new(g, chance(g, 600) ? "粮食产后服务中心" : "五优联动试点", NULL, NULL);    /* 15-7-3 */
    if (chance(g, 150)) rec_new(g, "中国好粮油", NULL, NULL);                                         /* 15-6-2 */
    if (g->city_level) set_bool(g, F_grain_oil_backbone, ST, chance(g, 400));                         /* 15-7-4 */
    if (chance(g, 120)) { /* 15-8-1 应急加工 */
        bool line = chance(g, 600);
        set_bool(g, F_grain_emergency_system, CUR, true);
        set_money(g, F_grain_newline_equipment, CUR, line ? span(g, WAN(50), WAN(500)) : 0);
        set_count(g, F_grain_newline_capacity, CUR, line ? uniform(g, 20, 300) : 0);
        set_money(g, F_grain_upgrade_equipment, CUR, line ? 0 : near(g, WAN(50), 60));
        set_count(g, F_grain_upgrade_capacity_gain, CUR, line ? 0 : uniform(g, 10, 100));
    }
    if (g->city_level) { /* 15-8-2…4 市本级 */
        set_count(g, F_grain_required_stock, ST, uniform(g, 50, 5000));
        set_bool(g, F_grain_bigdata_subject, ST, chance(g, 300));
        set_count(g, F_grain_lowtemp_area, CUR, chance(g, 400) ? uniform(g, 30, 500) : 0);
        set_count(g, F_grain_bigdata_new_terminals, CUR, chance(g, 300) ? uniform(g, 200, 3000) : 0);
        if (chance(g, 200)) {
            set_date(g, F_fxly_center_since, date_in(g, year_from(g, y - 2, y)));
            set_money(g, F_fxly_center_investment, CUR, near(g, WAN(30), 60));
            set_count(g, F_fxly_new_outlets, CUR, uniform(g, 0, 12));
        }
        if (chance(g, 50)) rec_new(g, "放心粮油示范企业", NULL, NULL);
    }
}

/* 房地产、建筑业、其他: 小微企业园 operators (13号 7), 装配式建筑 (13-16-93), 停车 (12-25-66),
 * 城投 water works (15号 17, 22). */
static void arch_other(dc_gen *g)
{
    static const dc_weight INDUSTRIES[] = {{"房地产", 350}, {"建筑业", 400}, {"其他", 250}};
    int y = g->year;
    g->industry = PICK(g, INDUSTRIES);
    draw_size(g, 650, 280);
    g->district = pick_district(g, false);
    registration(g);
    company_name(g);
    frame(g, "企业", "91", true, !is(g->industry, "建筑业"));
    economics(g, 5, 30, WAN(2000));
    if (!is(g->industry, "建筑业") && chance(g, 200)) { /* 13-7-43…45 小微企业园 运营 */
        int64_t area = uniform(g, 10000, 150000), c0 = span(g, WAN(100), WAN(1500));
        set_bool(g, F_mwp_serviced, CUR, chance(g, 850));
        set_count(g, F_mwp_floor_area, CUR, area);
        set_money(g, F_mwp_tax, CUR, pct_of(area * YUAN(200), uniform(g, 60, 200)));
        set_date(g, F_mwp_reward_since, date_in(g, year_from(g, y - 3, y)));
        set_money(g, F_mwp_contribution, PREV, c0);
        set_money(g, F_mwp_contribution, CUR, grow(g, c0));
        if (chance(g, 300)) {
            if (chance(g, 300)) promoted(g, "小微企业园星级", "四星", "五星", NULL, NULL, "13-7-44", "小微企业园星级", WAN(50));
            else rec_new(g, "小微企业园星级", chance(g, 700) ? "四星" : "三星", NULL);
        }
        if (chance(g, 200)) rec_new(g, "小微企业园数字化规范级", NULL, NULL); /* 13-7-45, once per park */
    }
    if (is(g->industry, "建筑业")) {
        if (chance(g, 60)) rec_new(g, "装配式建筑产业示范基地", "省", NULL); /* 13-16-93 */
        if (chance(g, 50)) { /* 12-25-66 */
            set_bool(g, F_state_owned_investment, ST, false);
            set_bool(g, F_parking_certified, CUR, chance(g, 850));
            set_count(g, F_parking_spaces_lift, CUR, uniform(g, 0, 60));
            set_count(g, F_parking_spaces_above, CUR, uniform(g, 0, 80));
            set_count(g, F_parking_spaces_under, CUR, uniform(g, 0, 150));
        }
    }
    if (!is(g->industry, "房地产") && urban(g) && chance(g, 120)) { /* 城投: water works of 15号 17, 22 */
        set_bool(g, F_state_owned_investment, ST, true);
        if (g->district <= 2 || g->district == 5) {
            set_bool(g, F_river_lake_accepted, CUR, chance(g, 700));
            set_money(g, F_river_lake_investment, CUR, span(g, WAN(100), WAN(3000)));
        }
        if (chance(g, 500)) {
            set_bool(g, F_tangriver_project, CUR, true);
            set_money(g, F_tangriver_investment, CUR, span(g, WAN(50), WAN(2000)));
        }
        if (chance(g, 500)) {
            set_bool(g, F_water_mgmt_marketized, CUR, true);
            set_money(g, F_water_mgmt_contract, CUR, near(g, WAN(100), 90));
        }
        if (chance(g, 400)) set_money(g, F_water_insurance_premium, CUR, span(g, WAN(2), WAN(60)));
    }
}

/* 研究院 (事业单位), 体育与养老的民办非企业单位, 民办博物馆, 行业协会, 农合联 (社会组织). */
static void arch_organisation(dc_gen *g)
{
    int y = g->year, r = (int)uniform(g, 0, 999);
    char zh[16];
    g->size = SZ_SMALL;
    g->district = pick_district(g, r >= 900);
    registration(g);
    zihao(g, zh, sizeof zh);
    if (r < 250) { /* 研究院: 13-3-17, 13-3-21, 实验室 */
        static const char *const KINDS[] = {"技术研究院", "产业研究院", "工业技术研究院", "创新研究院"};
        g->industry = "研发设计";
        snprintf(g->name, sizeof g->name, "温州%s%s", zh, PICK_STR(g, KINDS));
        frame(g, "事业单位", "12", true, true);
        economics(g, 3, 8, WAN(5000));
        set_bool(g, F_rd_institution, ST, true);
        set_money(g, F_commissioned_rd_paid, CUR, span(g, WAN(50), WAN(3000)));
        if (chance(g, 300)) {
            static const char *const GRADES[] = {"合格", "良好", "优秀"};
            set_bool(g, F_joint_institute_operator, ST, true);
            set_enum(g, F_joint_institute_assessment, CUR, PICK_STR(g, GRADES));
        }
        if (chance(g, 80)) rec_new(g, chance(g, 500) ? "重点实验室" : "工程实验室", "省", NULL);
        if (chance(g, 40)) rec_new(g, chance(g, 500) ? "产业创新中心" : "制造业创新中心", "省", NULL);
        if (chance(g, 15)) rec_new(g, "技术创新中心", "国家", NULL);
        if (chance(g, 40)) rec_new(g, "质检中心", "省", NULL);                                /* 13-13-71 */
        if (chance(g, 40)) rec_new(g, "科学技术奖", "省", chance(g, 500) ? "二等奖" : "三等奖"); /* 13-1-4 */
    } else if (r < 450) {
        static const char *const KINDS[] = {"体育俱乐部", "体育运动学校", "足球俱乐部", "游泳俱乐部", "青少年体育俱乐部"};
        g->industry = "体育";
        snprintf(g->name, sizeof g->name, "温州市%s%s", zh, PICK_STR(g, KINDS));
        frame(g, "社会组织", "52", true, true);
        economics(g, 3, 8, WAN(1000));
        sports(g, true);
    } else if (r < 650) {
        static const char *const KINDS[] = {"颐养院", "养老院", "居家养老服务中心", "老年公寓", "康养中心"};
        g->industry = "养老";
        snprintf(g->name, sizeof g->name, "%s%s%s", place(g), zh, PICK_STR(g, KINDS));
        frame(g, "社会组织", "52", true, true);
        economics(g, 3, 8, WAN(1000));
        eldercare(g);
    } else if (r < 710) { /* 12-28-79/80 民办博物馆、美术馆 */
        static const char *const KINDS[] = {"美术馆", "博物馆", "艺术馆", "民俗博物馆"};
        g->industry = "博物馆美术馆";
        snprintf(g->name, sizeof g->name, "温州%s%s", zh, PICK_STR(g, KINDS));
        frame(g, "社会组织", "52", true, true);
        economics(g, 3, 8, WAN(1000));
        bool built = chance(g, 400);
        set_bool(g, F_museum_built, ST, built);
        set_bool(g, F_museum_rented, ST, !built);
        set_date(g, F_museum_opened, date_in(g, year_from(g, y - 3, y)));
        set_count(g, F_museum_area, ST, uniform(g, 200, 4000));
        set_bool(g, F_museum_free_all_year, CUR, chance(g, 700));
    } else if (r < 900) { /* 行业协会: 15-6-3 农产品地理标志 */
        static const char *const KINDS[] = {"产业协会", "行业协会", "商会", "流通协会"};
        static const char *const PRODUCTS[] = {"杨梅", "瓯柑", "早茶", "鞋革", "电气", "眼镜", "泵阀", "黄鱼"};
        bool farm = chance(g, 500);
        g->industry = farm ? "农业" : "其他";
        const char *product = PICK_STR(g, PRODUCTS);
        snprintf(g->name, sizeof g->name, "%s%s%s%s", place(g), zh, product, PICK_STR(g, KINDS));
        frame(g, "社会组织", "51", true, true);
        economics(g, 3, 8, WAN(1000));
        if (farm && chance(g, 300)) rec_new(g, "农产品地理标志", NULL, NULL);
    } else { /* 15-4-1/2 农合联 */
        g->industry = "农业";
        snprintf(g->name, sizeof g->name, "%s%s镇农民合作经济组织联合会", place(g), zh);
        frame(g, "社会组织", "51", true, true);
        economics(g, 3, 8, WAN(1000));
        set_bool(g, F_nonghelian, ST, true);
        set_bool(g, F_nonghelian_asset_company, ST, false);
        bool project = chance(g, 300);
        set_money(g, F_nonghelian_project_investment, CUR, project ? near(g, WAN(100), 60) : 0);
        if (project) set_date(g, F_nonghelian_project_completed, date_in(g, g->year));
        set_money(g, F_nonghelian_training_cost, CUR, chance(g, 600) ? span(g, WAN(2), WAN(40)) : 0);
    }
}

/* The government of district or county `d`: the awards 15号 pays to 县(市、区) and 功能区,
 * and those of 13号 (平台, 特色小镇) and 14号 (招引外资) that go to governments. */
static void arch_government(dc_gen *g, int d)
{
    int y = g->year;
    bool county = !DISTRICTS[d].urban, zone = d == 4 || d == 5; /* 功能区 are not 县(市、区) */
    g->size = SZ_LARGE;
    g->district = d;
    g->industry = "其他";
    /* Governments received credit codes in 2016–2017; 龙港 became a city in 2019. */
    g->registered = d == 8 ? (dc_date){2019, 9, 25} : date_in(g, (int)uniform(g, 2016, 2017));
    snprintf(g->name, sizeof g->name, "%s", DISTRICTS[d].gov);
    frame(g, "行政单位", "11", false, false);
    /* 15-15-2/3 年度考核: the city grades 优秀（2个）、良好（3个）, so of the 14 governments at
     * most two are 优秀 and three 良好 in a year; which ones follows a yearly rotation. */
    static const char *const GRADES[] = {"优秀", "优秀", "良好", "良好", "良好"};
    int r1 = (d * 5 + y) % 14, r2 = (d * 3 + y + 7) % 14;
    set_enum(g, F_soil_waste_assessment, CUR, r1 < 5 ? GRADES[r1] : "合格");          /* 15-15-2 */
    set_enum(g, F_seven_industries_assessment, CUR, r2 < 5 ? GRADES[r2] : "合格");    /* 15-15-3 */
    /* The departments report on every government, so its data are complete: zero and 否
     * where nothing happened. */
    bool oyxf = chance(g, 600); /* 15-1-1 瓯越鲜风基地 */
    set_bool(g, F_oyxf_base_task, CUR, oyxf);
    set_money(g, F_oyxf_base_local_subsidy, CUR, oyxf ? span(g, WAN(5), WAN(40)) : 0);
    if (!zone) {
        if (chance(g, 150)) rec_new(g, "农业机器换人示范县", NULL, NULL); /* 15-5-6 */
        int64_t hogs0 = span(g, 20000, 300000);                          /* 15-9-1 */
        set_count(g, F_hog_output, PREV, hogs0);
        set_count(g, F_hog_output, CUR, hogs0 + uniform(g, -10000, 90000));
        bool farms = chance(g, 300), breeding = chance(g, 300);
        set_count(g, F_hog_farms_10k_done, CUR, farms ? uniform(g, 0, 2) : 0);
        set_count(g, F_hog_farms_50k_done, CUR, farms && chance(g, 300));
        set_count(g, F_breeding_pigs_imported, CUR, breeding ? uniform(g, 100, 3000) : 0);
        set_count(g, F_breeding_farms_new, CUR, breeding && chance(g, 300));
        static const int COASTAL[] = {3, 6, 7, 8, 11, 12}; /* 洞头 乐清 瑞安 龙港 平阳 苍南 */
        for (size_t i = 0; i < sizeof COASTAL / sizeof *COASTAL; i++)
            if (COASTAL[i] == d) {
                if (chance(g, 200)) rec_new(g, "渔业健康养殖示范县", chance(g, 800) ? "省" : "国家", NULL); /* 15-10-1 */
                if (chance(g, 60)) rec_new(g, "全国文明渔港", NULL, NULL);                                    /* 15-10-2 */
            }
        bool aqua = chance(g, 350), eco = chance(g, 350);
        set_bool(g, F_aqua_processing_base, CUR, aqua);
        set_money(g, F_aqua_processing_base_investment, CUR, aqua ? span(g, WAN(50), WAN(300)) : 0);
        set_bool(g, F_eco_aqua_zone, CUR, eco);
        set_money(g, F_eco_aqua_zone_investment, CUR, eco ? span(g, WAN(50), WAN(500)) : 0);
        if (chance(g, 150)) rec_new(g, chance(g, 500) ? "省级美丽乡村示范县创建试点" : "省级美丽乡村示范县", NULL, NULL); /* 15-12-2 */
        bool land = chance(g, 450);
        if (land) { /* 15-14-1 全域土地综合整治 */
            bool accepted = chance(g, 400);
            set_bool(g, F_land_plan_approved, PREV, accepted);
            set_bool(g, F_land_plan_approved, CUR, true);
            set_date(g, F_land_plan_listed, date_in(g, year_from(g, g->year - 3, g->year - 1)));
            set_bool(g, F_land_accepted, PREV, false);
            set_bool(g, F_land_accepted, CUR, accepted);
            set_count(g, F_land_reclaimed_area, CUR, uniform(g, 100, 800));
            set_count(g, F_land_new_farmland, CUR, uniform(g, 0, 1500));
            set_bool(g, F_land_whole_town, CUR, chance(g, 300));
            set_count(g, F_land_business_types, CUR, uniform(g, 1, 5));
        }
        set_bool(g, F_land_in_provincial_plan, ST, land);
        if (chance(g, 80)) rec_new(g, "两山实践创新基地", NULL, NULL);                        /* 15-16-1 */
        if (chance(g, 200)) rec_new(g, "生态文明建设示范", chance(g, 700) ? "省" : "国家", NULL); /* 15-16-2 */
        set_count(g, F_small_reservoirs_passed, CUR, uniform(g, 0, 25));                       /* 15-22-2 */
    }
    if (zone) set_bool(g, F_land_in_provincial_plan, ST, false);
    set_bool(g, F_platform_3_12, ST, zone); /* 13-9-49 “3+12”产业平台 (the 功能区) */
    if (zone) set_money(g, F_platform_sei_value_added, CUR, span(g, YI(10), YI(80)));
    if (DISTRICTS[d].urban) {
        set_money(g, F_gov_hog_policy_funds, CUR, chance(g, 400) ? span(g, WAN(50), WAN(1200)) : 0); /* 15-9-4 */
        set_money(g, F_water_insurance_premium, CUR, chance(g, 500) ? span(g, WAN(5), WAN(60)) : 0); /* 15-22-3 */
    }
    if (d <= 2) { /* 鹿城、龙湾、瓯海: 农村饮水 (15-13-3), 生态补水 (15-17-2) */
        bool water = chance(g, 700);
        set_bool(g, F_rural_water_project_completed, CUR, water);
        set_money(g, F_rural_water_investment_mountain, CUR, water ? span(g, WAN(100), WAN(2000)) : 0);
        set_money(g, F_rural_water_investment_plain, CUR, water ? span(g, WAN(100), WAN(2000)) : 0);
        set_count(g, F_eco_water_diverted, CUR, span(g, 500000, 5000000));
    }
    { /* 15-15-1 水质提升断面 (the 产业集聚区 share cross-border sections too) */
        bool better = chance(g, 500);
        set_count(g, F_water_sections_improved, CUR, better ? uniform(g, 0, 3) : 0);
        set_count(g, F_water_sections_improved_shared2, CUR, better ? uniform(g, 0, 1) : 0);
        set_count(g, F_water_sections_improved_shared3, CUR, 0);
    }
    if (county) { /* 15-21-1 “998”工程 */
        bool pilot = chance(g, 300);
        if (pilot) set_date(g, F_quality998_pilot_since, date_in(g, (int)uniform(g, y - 2, y - 1)));
        set_bool(g, F_quality998_task_done, CUR, pilot && chance(g, 850));
    }
    if (chance(g, 150)) rec_new(g, "万亩千亿新产业平台", "创建", NULL);                       /* 13-5-24 */
    if (chance(g, 200)) rec_new(g, "省级特色小镇", chance(g, 600) ? "创建" : "创成", NULL);   /* 13-5-25 */
    /* 14-5-8/9 招引外资: reported for every government, most of it zero. */
    set_count(g, F_gov_fdi_qualifying_usd, CUR, chance(g, 400) ? span(g, 5000000, 60000000) : 0);
    set_count(g, F_gov_global500_count, CUR, chance(g, 300) ? uniform(g, 1, 3) : 0);
}

/* ---- the driver -------------------------------------------------------------------------- */

static const struct {
    dc_arch arch;
    int weight;
    void (*build)(dc_gen *);
} ARCHETYPES[] = {
    {A_MFG, 420, arch_manufacturer}, {A_TECH, 100, arch_tech}, {A_SERVICE, 200, arch_service},
    {A_TRADE, 80, arch_trade}, {A_FOREIGN, 40, arch_foreign}, {A_AGRI, 80, arch_agri},
    {A_OTHER, 50, arch_other}, {A_ORG, 30, arch_organisation},
};

static void entity_reset(dc_gen *g, long index)
{
    g->index = index;
    rng_seed(&g->rng, g->seed, (uint64_t)index);
    if (++g->stamp == 0) { /* after 2^32 entities: forget every old mark once */
        memset(g->set, 0, sizeof g->set);
        g->stamp = 1;
    }
    memset(g->nset, 0, sizeof g->nset);
    g->size = SZ_SMALL;
    g->city_level = g->corridor = g->trading = false;
    g->industry = "其他";
    g->entity_type = "企业";
    g->lc[0] = g->lc[1] = g->tax[0] = g->tax[1] = g->revenue[0] = g->revenue[1] = 0;
    g->hitech_year = 0;
    g->tsme = false;
}

static void generate(dc_gen *g, long index, democity_counts *counts)
{
    entity_reset(g, index);
    if (index < N_GOV) {
        g->arch = A_GOV;
        arch_government(g, (int)index);
    } else {
        int total = 0;
        for (size_t i = 0; i < sizeof ARCHETYPES / sizeof *ARCHETYPES; i++) total += ARCHETYPES[i].weight;
        int r = (int)uniform(g, 0, total - 1);
        size_t i = 0;
        while ((r -= ARCHETYPES[i].weight) >= 0) i++;
        g->arch = ARCHETYPES[i].arch;
        ARCHETYPES[i].build(g);
        /* 严重失信名单: about 0.5% */
        if (chance(g, 5)) list_row(g, "严重失信名单", year_from(g, g->year - 2, g->year));
    }
    for (democity_file f = DEMOCITY_ENTITIES; f <= DEMOCITY_MUJUN; f++) write_fact_rows(g, f);
    if (is(g->entity_type, "行政单位")) counts->governments++;
    else if (is(g->entity_type, "企业")) counts->enterprises++;
    else counts->organisations++;
}

/* Resolve the fact list against the corpus and lay out the columns of each file: static
 * facts in entities.csv (mujun_rating in mujun.csv); yearly facts by the dataset the corpus
 * names — 税务局 → tax.csv, 统计局 → stats.csv, any other department → projects.csv. */
static bool layout(dc_gen *g)
{
    static const int KIND[] = {[DT_BOOL] = HT_BOOL, [DT_COUNT] = HT_COUNT, [DT_MONEY] = HT_MONEY,
                               [DT_RATE] = HT_RATE, [DT_DATE] = HT_DATE, [DT_ENUM] = HT_ENUM};
    enum { SHOWN = 10 };
    int bad = 0;
    for (int f = 0; f < DC_NFACTS; f++) {
        int cf = corpus_find_fact(g->c, FACTS[f].name);
        g->corpus_fact[f] = cf;
        if (cf < 0) {
            if (bad++ < SHOWN)
                diag_add(g->diag, "demo-data", "事实 %s 不再由规则库声明: 规则库已变更", FACTS[f].name);
            continue;
        }
        const hq_fact *x = g->c->facts[cf];
        if (x->type.kind != KIND[FACTS[f].type] || x->yearly != FACTS[f].yearly) {
            if (bad++ < SHOWN)
                diag_add(g->diag, "demo-data", "事实 %s 的类型已变为 %s%s: 规则库已变更", FACTS[f].name,
                         x->type_name ? x->type_name : "?", x->yearly ? " yearly" : "");
            continue;
        }
        democity_file file = !x->yearly ? (f == F_mujun_rating ? DEMOCITY_MUJUN : DEMOCITY_ENTITIES)
                             : x->from && strstr(x->from, "税务") ? DEMOCITY_TAX
                             : x->from && strstr(x->from, "统计") ? DEMOCITY_STATS
                                                                   : DEMOCITY_PROJECTS;
        g->file_of[f] = file;
        dc_out *o = &g->out[file];
        if (o->ncols >= DC_MAX_COLUMNS) {
            diag_add(g->diag, "demo-data", "%s：超过 %d 列", FILES[file].file, DC_MAX_COLUMNS);
            bad++;
            continue;
        }
        o->cols[o->ncols++] = f;
    }
    if (bad > SHOWN) diag_add(g->diag, "demo-data", "…共 %d 个事实与规则库不符", bad);
    bool ok = bad == 0;
    if (corpus_find_list(g->c, "严重失信名单") < 0) {
        diag_add(g->diag, "demo-data", "名单「严重失信名单」不再由规则库声明: 规则库已变更");
        ok = false;
    }
    return ok;
}

static bool open_outputs(dc_gen *g, const char *dir)
{
    static const char *const HEADERS[DEMOCITY__FILES] = {
        [DEMOCITY_CREDIT] = "credit_code,name,list,date",
        [DEMOCITY_RECOGNITIONS] = "credit_code,name,recognition,level,grade,date,subject",
        [DEMOCITY_AWARDS] = "credit_code,name,item,project,year,data_year,level,amount,note",
    };
    for (int f = 0; f < DEMOCITY__FILES; f++) {
        dc_out *o = &g->out[f];
        if ((size_t)snprintf(o->path, sizeof o->path, "%s/%s", dir, FILES[f].file) >= sizeof o->path ||
            (size_t)snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, FILES[f].file) >= sizeof o->tmp) {
            diag_add(g->diag, dir, "输出目录名过长");
            return false;
        }
        o->yearly = f == DEMOCITY_TAX || f == DEMOCITY_STATS || f == DEMOCITY_PROJECTS;
        o->buf = malloc(DC_OUTBUF);
        o->fp = o->buf ? fopen(o->tmp, "wb") : NULL;
        if (!o->fp) {
            diag_add(g->diag, o->tmp, "无法创建：%s", HQ_ERRNO_ZH(errno));
            return false;
        }
        if (HEADERS[f]) {
            out_raw(g, o, HEADERS[f], strlen(HEADERS[f]));
        } else {
            out_raw(g, o, "credit_code,name", 16);
            if (o->yearly) out_raw(g, o, ",year", 5);
            for (int c = 0; c < o->ncols; c++) {
                out_raw(g, o, ",", 1);
                out_raw(g, o, FACTS[o->cols[c]].name, strlen(FACTS[o->cols[c]].name));
            }
        }
        out_raw(g, o, "\n", 1);
    }
    return true;
}

/* Flush and close every file and total the counts; false if a write failed. */
static bool close_outputs(dc_gen *g, democity_counts *counts)
{
    for (int f = 0; f < DEMOCITY__FILES; f++) {
        dc_out *o = &g->out[f];
        if (o->fp) {
            out_flush(g, o);
            if (fclose(o->fp) != 0 && !g->failed) fail(g, "%s：写入失败：%s", o->tmp, HQ_ERRNO_ZH(errno));
            o->fp = NULL;
        }
        free(o->buf);
        o->buf = NULL;
        counts->rows[f] = o->rows;
        counts->bytes += o->bytes;
    }
    return !g->failed;
}

/* The register re-encoded as GB18030 (what Chinese Excel writes), chunk by chunk, from the
 * file `src` into `dst`. */
static bool write_gbk(const char *src, const char *dst, hq_diag *diag)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1) {
        diag_add(diag, "iconv", "系统不支持 GB18030 编码：%s", HQ_ERRNO_ZH(errno));
        return false;
    }
    enum { CHUNK = 1 << 16 };
    /* UTF-8 never grows in GB18030 (at most 4 bytes for 3 or 4); 8 bytes carry a split character. */
    char *ibuf = malloc(CHUNK + 8), *obuf = malloc(CHUNK + 16);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    bool ok = in && out && ibuf && obuf;
    if (!ok) diag_add(diag, in ? dst : src, "无法打开：%s", HQ_ERRNO_ZH(errno));
    size_t keep = 0;
    while (ok) {
        size_t n = fread(ibuf + keep, 1, CHUNK, in);
        if (n == 0 && keep == 0) break;
        char *ip = ibuf, *op = obuf;
        size_t il = keep + n, ol = CHUNK + 16;
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL) {
            diag_add(diag, src, "无法转换为 GB18030：%s", HQ_ERRNO_ZH(errno));
            ok = false;
        }
        if (fwrite(obuf, 1, (size_t)(op - obuf), out) != (size_t)(op - obuf)) {
            diag_add(diag, dst, "写入失败：%s", HQ_ERRNO_ZH(errno));
            ok = false;
        }
        if (n == 0 && il) { /* a truncated character at the very end */
            diag_add(diag, src, "末尾有不完整的 UTF-8 字符");
            ok = false;
        }
        memmove(ibuf, ip, il);
        keep = il;
    }
    iconv_close(cd);
    free(ibuf);
    free(obuf);
    if (in) fclose(in);
    if (out && fclose(out) != 0 && ok) {
        diag_add(diag, dst, "写入失败：%s", HQ_ERRNO_ZH(errno));
        ok = false;
    }
    return ok;
}

/* Move the finished files into place (the GB18030 copy too when gbk), or remove them all.
 * Files of an earlier run stay as they were unless a rename fails half way through. */
static bool commit_outputs(dc_gen *g, bool ok, bool gbk, const char *gbk_tmp, const char *gbk_path)
{
    const char *tmp[DEMOCITY__FILES + 1], *path[DEMOCITY__FILES + 1];
    int n = 0;
    for (int f = 0; f < DEMOCITY__FILES; f++)
        if (g->out[f].tmp[0]) tmp[n] = g->out[f].tmp, path[n++] = g->out[f].path;
    if (gbk) tmp[n] = gbk_tmp, path[n++] = gbk_path;
    bool moved = false;
    for (int i = 0; i < n; i++) {
        if (ok && rename(tmp[i], path[i]) != 0) {
            diag_add(g->diag, path[i], "无法改名到位：%s", HQ_ERRNO_ZH(errno));
            ok = false;
        } else if (ok) {
            moved = true;
        }
        if (!ok) remove(tmp[i]);
    }
    if (!ok && moved)
        for (int i = 0; i < n; i++) remove(path[i]);
    return ok;
}

int democity_write(const hq_corpus *c, const democity_opts *o, democity_counts *counts, hq_diag *diag)
{
    memset(counts, 0, sizeof *counts);
    if (o->entities < 1 || o->entities > DEMOCITY_MAX_ENTITIES) {
        diag_add(diag, "demo-data", "--entities 应为 1 … %ld", DEMOCITY_MAX_ENTITIES);
        return -1;
    }
    if (o->year < DEMOCITY_MIN_YEAR || o->year > DEMOCITY_MAX_YEAR) {
        diag_add(diag, "demo-data", "--year 应为 %d … %d", DEMOCITY_MIN_YEAR, DEMOCITY_MAX_YEAR);
        return -1;
    }
    dc_gen *g = calloc(1, sizeof *g);
    if (!g) {
        diag_add(diag, "demo-data", "内存不足");
        return -1;
    }
    g->c = c;
    g->diag = diag;
    g->year = o->year;
    g->seed = o->seed;
    bool ok = layout(g) && open_outputs(g, o->out_dir);
    if (!ok) g->failed = true;
    for (long i = 0; i < o->entities && !g->failed; i++) generate(g, i, counts);
    ok = close_outputs(g, counts);
    char gbk_tmp[DC_PATH], gbk_path[DC_PATH];
    snprintf(gbk_tmp, sizeof gbk_tmp, "%s/.entities-gbk.csv.tmp", o->out_dir);
    snprintf(gbk_path, sizeof gbk_path, "%s/entities-gbk.csv", o->out_dir);
    if (ok && o->gbk) ok = write_gbk(g->out[DEMOCITY_ENTITIES].tmp, gbk_tmp, diag);
    ok = commit_outputs(g, ok, o->gbk, gbk_tmp, gbk_path);
    free(g);
    return ok ? 0 : -1;
}
